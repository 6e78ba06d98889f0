import type { Logger } from '../../src-shared/domain/runtime';
import { deviceKeyOf, type Bus } from '../bus/bus';
import type { AccountRecord } from '../storage/accountsRepository';
import type { Storage } from '../storage/storage';
import type { AuthenticatedDevice } from './deviceAuth';
import { ServiceError } from './serviceError';

/**
 * Who asks for a device to go: any device of the account (another one, or the device itself,
 * signing out), or whoever proved the account's password (a lost device is unlinked that way).
 */
export type DeviceRemovalActor = { kind: 'device'; device: AuthenticatedDevice } | { kind: 'password'; account: AccountRecord };

export type DevicesService = ReturnType<typeof createDevicesService>;

export function createDevicesService(options: { storage: Storage; bus: Bus; logger: Logger }) {
  const { storage, bus, logger } = options;

  return {
    /**
     * Removes a device of the actor's own account, in one transaction: the device row (so its
     * credentials fail from the next request on), its one-time prekeys, its queue and its send
     * records. After the commit its sockets, on any node, are told to close. Senders learn of it
     * from their next send, refused with `mismatched_devices` naming it in `extra`, and drop it.
     * Throws `not_found` for a device the account does not have, and `forbidden` for the
     * account's last device (an account is never left without one).
     */
    async removeDevice(actor: DeviceRemovalActor, deviceId: number): Promise<void> {
      const accountId = actor.kind === 'device' ? actor.device.accountId : actor.account.id;
      await storage.transaction(async (repositories) => {
        // Serialises removals and additions on one account, so two removals never leave it empty.
        await repositories.accounts.findByIdForUpdate(accountId);
        const devices = await repositories.devices.listIds(accountId);
        if (!devices.includes(deviceId)) throw new ServiceError('not_found', 'the account has no such device');
        if (devices.length === 1) throw new ServiceError('forbidden', 'the last device of an account cannot be removed');
        await repositories.devices.remove(accountId, deviceId);
      });
      logger.debug('device_removed', { accountId, deviceId, by: actor.kind });
      bus.publish(deviceKeyOf(accountId, deviceId), { kind: 'device_removed' });
    },
  };
}
