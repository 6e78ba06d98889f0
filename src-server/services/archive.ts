import type { ArchiveItem, ArchivePage } from '../../src-shared/protocol/archive';
import type { Storage } from '../storage/storage';
import type { AuthenticatedDevice } from './deviceAuth';
import { ServiceError } from './serviceError';

const DAY_MS = 24 * 60 * 60 * 1000;

export type ArchiveService = ReturnType<typeof createArchiveService>;

/**
 * The account's encrypted history archive (C5, C7). The server stores what devices append,
 * unread (sealed with a key only the account's devices hold), under their random ids, with the
 * day only; a device pages through it oldest first. Switched off, it holds nothing and takes
 * nothing, for every device of the account.
 */
export function createArchiveService(options: { storage: Storage; clock: { now(): number } }) {
  const { storage, clock } = options;
  return {
    /**
     * Under the account's row lock, as switching off and a fresh start take it: an upload checked
     * against an epoch (or by a device) cannot land after that epoch (or device) ended.
     */
    async append(device: AuthenticatedDevice, epoch: number, items: readonly ArchiveItem[]): Promise<{ stored: number }> {
      return storage.transaction(async (repositories) => {
        await repositories.accounts.findByIdForUpdate(device.accountId);
        if (!(await repositories.devices.listIds(device.accountId)).includes(device.deviceId)) {
          throw new ServiceError('session_ended', 'this device was signed out of its account');
        }
        const state = await repositories.archive.state(device.accountId);
        if (!state.enabled) throw new ServiceError('forbidden', 'the archive of this account is switched off');
        // Staged before the archive was last switched off (and its items deleted): never taken.
        if (epoch !== state.epoch) throw new ServiceError('forbidden', 'the archive was switched off since these items were staged');
        return { stored: await repositories.archive.append(device.accountId, Math.floor(clock.now() / DAY_MS), items) };
      });
    },

    page: (device: AuthenticatedDevice, after: number, limit: number, withCount: boolean): Promise<ArchivePage> =>
      storage.archive.page(device.accountId, after, limit, withCount),

    settings: (device: AuthenticatedDevice): Promise<{ enabled: boolean; epoch: number }> => storage.archive.state(device.accountId),

    /** Switching off deletes every item in the same transaction. */
    async setEnabled(device: AuthenticatedDevice, enabled: boolean): Promise<void> {
      await storage.transaction(async (repositories) => {
        await repositories.accounts.findByIdForUpdate(device.accountId);
        await repositories.archive.setEnabled(device.accountId, enabled);
        if (!enabled) await repositories.archive.deleteAll(device.accountId);
      });
    },
  };
}
