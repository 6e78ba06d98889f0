import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The preferences service (src-shared/ipc/preferences.ts) over the signed-in core. */
export const preferencesServiceOf = (session: ProfileSession): ServiceImplementation<'preferences'> => ({
  get: () => resultOf(() => session.core.preferences.current),
  change: ({ changes }) => resultOf(() => session.core.changePreferences(changes)),
});
