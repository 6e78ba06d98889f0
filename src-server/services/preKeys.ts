import { LIMITS } from '../../src-shared/domain/limits';
import type { Logger } from '../../src-shared/domain/runtime';
import type { PreKeyBundle, PreKeyCount, UploadPreKeysRequest } from '../../src-shared/protocol/keys';
import { deviceKeyOf, type Bus } from '../bus/bus';
import type { Storage } from '../storage/storage';
import type { AuthenticatedDevice } from './deviceAuth';
import { ServiceError } from './serviceError';

/** Keeps the last key of each key id, so one upload never names a key id twice. */
export function uniqueByKeyId<Key extends { keyId: number }>(keys: readonly Key[]): Key[] {
  return [...new Map(keys.map((key) => [key.keyId, key])).values()];
}

export function isBelowLowWatermark(count: PreKeyCount): boolean {
  return count.preKeys < LIMITS.preKeyLowWatermark || count.kyberPreKeys < LIMITS.preKeyLowWatermark;
}

export type PreKeysService = ReturnType<typeof createPreKeysService>;

export function createPreKeysService(options: { storage: Storage; bus: Bus; logger: Logger }) {
  const { storage, bus, logger } = options;

  return {
    /** Refill (one-time keys are added) and rotation (signed and last-resort keys replaced), atomically. */
    async upload(device: AuthenticatedDevice, request: UploadPreKeysRequest): Promise<void> {
      const { accountId, deviceId } = device;
      await storage.transaction(async (repositories) => {
        if (request.preKeys) await repositories.preKeys.upsertPreKeys(accountId, deviceId, uniqueByKeyId(request.preKeys));
        if (request.kyberPreKeys) {
          await repositories.preKeys.upsertKyberPreKeys(accountId, deviceId, uniqueByKeyId(request.kyberPreKeys));
        }
        if (request.signedPreKey) await repositories.devices.replaceSignedPreKey(accountId, deviceId, request.signedPreKey);
        if (request.kyberLastResortPreKey) {
          await repositories.devices.replaceKyberLastResortPreKey(accountId, deviceId, request.kyberLastResortPreKey);
        }
      });
      logger.info('prekeys_uploaded', {
        accountId,
        deviceId,
        preKeys: request.preKeys?.length ?? 0,
        kyberPreKeys: request.kyberPreKeys?.length ?? 0,
        signedPreKey: request.signedPreKey !== undefined,
        kyberLastResortPreKey: request.kyberLastResortPreKey !== undefined,
      });
    },

    count(device: AuthenticatedDevice): Promise<PreKeyCount> {
      return storage.preKeys.count(device.accountId, device.deviceId);
    },

    /**
     * What `requester` needs to start sessions with `accountId`'s devices (or one of them).
     * Consumes one one-time EC and one one-time Kyber prekey per device, in one transaction;
     * with no one-time Kyber key left the last-resort key is handed out instead. For the
     * requester's own account, all-devices leaves out the requester itself.
     */
    async fetchBundle(requester: AuthenticatedDevice, accountId: string, deviceId?: number): Promise<PreKeyBundle> {
      const bundle = await storage.transaction(async (repositories): Promise<PreKeyBundle> => {
        const account = await repositories.accounts.findById(accountId);
        if (!account) throw new ServiceError('not_found', 'no such account');
        let devices = await repositories.devices.listByAccount(accountId);
        if (deviceId !== undefined) {
          devices = devices.filter((device) => device.deviceId === deviceId);
          if (devices.length === 0) throw new ServiceError('not_found', 'no such device');
        } else if (accountId === requester.accountId) {
          devices = devices.filter((device) => device.deviceId !== requester.deviceId);
        }
        const entries: PreKeyBundle['devices'] = [];
        for (const device of devices) {
          const preKey = await repositories.preKeys.takePreKey(accountId, device.deviceId);
          const kyberPreKey = await repositories.preKeys.takeKyberPreKey(accountId, device.deviceId);
          entries.push({
            deviceId: device.deviceId,
            registrationId: device.registrationId,
            signedPreKey: device.signedPreKey,
            ...(preKey ? { preKey } : {}),
            kyberPreKey: kyberPreKey ?? device.kyberLastResortPreKey,
          });
        }
        return { accountId, identityKey: account.identityKey, devices: entries };
      });

      // After the commit: tell devices that are running low (their session re-counts and, if
      // the device is online, pushes `prekeys_low`).
      for (const device of bundle.devices) {
        const count = await storage.preKeys.count(accountId, device.deviceId);
        if (isBelowLowWatermark(count)) bus.publish(deviceKeyOf(accountId, device.deviceId), { kind: 'prekeys_low' });
      }
      return bundle;
    },
  };
}
