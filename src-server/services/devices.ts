import type { DeviceSession } from '../../src-shared/domain/devices';
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

    /**
     * "Terminate all other sessions" (A9): removes every device of the account but the caller, in
     * one transaction and as removeDevice does each; then their sockets are told to close.
     * Returns the removed device ids (none when the caller is the only device).
     */
    async removeOtherDevices(caller: AuthenticatedDevice): Promise<number[]> {
      const { accountId } = caller;
      const removed = await storage.transaction(async (repositories) => {
        await repositories.accounts.findByIdForUpdate(accountId);
        const devices = await repositories.devices.listIds(accountId);
        // Two devices ending each other's sessions at once: the second finds itself ended already.
        if (!devices.includes(caller.deviceId)) throw new ServiceError('session_ended', 'this device was signed out of its account');
        const others = devices.filter((deviceId) => deviceId !== caller.deviceId);
        for (const deviceId of others) await repositories.devices.remove(accountId, deviceId);
        return others;
      });
      for (const deviceId of removed) {
        logger.debug('device_removed', { accountId, deviceId, by: 'device' });
        bus.publish(deviceKeyOf(accountId, deviceId), { kind: 'device_removed' });
      }
      return removed;
    },

    /** Active sessions (A9): the account's devices, by device id. */
    listDevices: (accountId: string): Promise<DeviceSession[]> => storage.devices.listSessions(accountId),

    /** A device renames itself (the name is the only detail a person types). */
    async renameDevice(caller: AuthenticatedDevice, name: string): Promise<void> {
      if (!(await storage.devices.rename(caller.accountId, caller.deviceId, name))) {
        throw new ServiceError('session_ended', 'this device was signed out of its account');
      }
    },
  };
}
