import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { RegisterAccountResponse } from '../../src-shared/protocol/http';
import type { DeviceKeys } from '../../src-shared/protocol/keys';
import { deviceKeyOf, type Bus } from '../bus/bus';
import type { AccountRecord } from '../storage/accountsRepository';
import type { Storage } from '../storage/storage';
import { MAX_DEVICE_ID } from './accounts';
import { dayOf } from './days';
import { insertDeviceRows } from './deviceRows';
import { verifyPublishedKeys } from './keySignatures';
import { ServiceError } from './serviceError';

export type FreshStartService = ReturnType<typeof createFreshStartService>;

/**
 * An account starting over on a machine that holds none of its keys (C5: every device lost).
 * Whoever proved the password gets an account with a new identity and this one device; the
 * old devices are cut off as a terminated device is, and the archive they sealed, which no key
 * left can open, is deleted.
 */
export function createFreshStartService(options: { storage: Storage; bus: Bus; clock: Clock; logger: Logger }) {
  const { storage, bus, clock, logger } = options;
  return {
    /**
     * In one transaction: every device goes (row, prekeys, queue, send records), the archive's
     * items and the unused link tokens go, a new archive epoch begins (an old device's staged
     * uploads are refused even if one slipped past its removal), the account takes the device's
     * identity key, and the device is added under the next device id never given. Then the old
     * devices' sockets are told to close. `invalid_signature` when the prekeys are not signed by
     * the identity key the device brings.
     */
    async startFresh(account: AccountRecord, keys: DeviceKeys): Promise<RegisterAccountResponse> {
      verifyPublishedKeys(keys.identityKey, keys);
      const { removed, deviceId, archive } = await storage.transaction(async (repositories) => {
        const locked = await repositories.accounts.findByIdForUpdate(account.id);
        if (!locked) throw new ServiceError('unauthorized', 'invalid username or password');
        const removed = await repositories.devices.listIds(account.id);
        for (const id of removed) await repositories.devices.remove(account.id, id);
        await repositories.linking.deleteTokensOf(account.id);
        await repositories.archive.deleteAll(account.id);
        // Sealed with a profile key no device holds any more.
        await repositories.profiles.delete(account.id);
        await repositories.archive.startNewEpoch(account.id);
        await repositories.accounts.setIdentityKey(account.id, keys.identityKey);
        const deviceId = await repositories.accounts.claimDeviceId(account.id, new Set(), MAX_DEVICE_ID);
        if (deviceId === undefined) throw new ServiceError('too_many_devices', 'the account has no device id left');
        await insertDeviceRows(repositories, account.id, deviceId, keys, dayOf(clock.now()));
        return { removed, deviceId, archive: await repositories.archive.state(account.id) };
      });
      logger.debug('account_fresh_start', { accountId: account.id, deviceId, removedDevices: removed.length });
      for (const id of removed) bus.publish(deviceKeyOf(account.id, id), { kind: 'device_removed' });
      return { accountId: account.id, deviceId, username: account.username, registeredAt: clock.now(), archive };
    },
  };
}
