import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The profile service (src-shared/ipc/profile.ts) over the signed-in core. */
export const profileServiceOf = (session: ProfileSession): ServiceImplementation<'profile'> => ({
  get: () => resultOf(() => session.core.profiles.own.current),
  save: (profile) => resultOf(() => session.core.profiles.own.save(profile)),
});
