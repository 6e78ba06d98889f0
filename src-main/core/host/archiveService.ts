import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The archive service (src-shared/ipc/archive.ts) over the signed-in core. */
export const archiveServiceOf = (session: ProfileSession): ServiceImplementation<'archive'> => ({
  getSettings: () => resultOf(() => session.core.archive.settings()),
  setEnabled: ({ enabled }) =>
    resultOf(async () => {
      await session.core.archive.setEnabled(enabled);
      return null;
    }),
  getRestoreProgress: () => resultOf(() => session.core.archive.restoreProgress),
});
