import type { DeviceKeys } from '../../src-shared/protocol/keys';
import type { Repositories } from '../storage/storage';
import { hashDeviceSecret } from './deviceAuth';
import { uniqueByKeyId } from './preKeys';

/** Writes a new device's row and the prekeys it published, inside the caller's transaction. */
export async function insertDeviceRows(repositories: Repositories, accountId: string, deviceId: number, keys: DeviceKeys, day: number): Promise<void> {
  await repositories.devices.insert({
    accountId,
    deviceId,
    name: keys.name,
    ...(keys.details && { details: keys.details }),
    registrationId: keys.registrationId,
    secretHash: hashDeviceSecret(keys.secret),
    signedPreKey: keys.signedPreKey,
    kyberLastResortPreKey: keys.kyberLastResortPreKey,
    day,
  });
  await repositories.preKeys.upsertPreKeys(accountId, deviceId, uniqueByKeyId(keys.preKeys));
  await repositories.preKeys.upsertKyberPreKeys(accountId, deviceId, uniqueByKeyId(keys.kyberPreKeys));
}
