import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The profile service (src-shared/ipc/profile.ts) over the signed-in core. */
export const profileServiceOf = (session: ProfileSession): ServiceImplementation<'profile'> => ({
  get: () => resultOf(() => session.core.profiles.own.current),
  save: (profile) => resultOf(() => session.core.profiles.own.save(profile)),
  getAvatar: () => resultOf(() => ({ image: session.core.profiles.ownAvatar.current?.toString('base64') ?? null })),
  setAvatar: ({ file }) => resultOf(async () => ({ image: (await session.core.profiles.ownAvatar.set(Buffer.from(file, 'base64'))).toString('base64') })),
  changeUsername: ({ username }) => resultOf(async () => ({ username: await session.core.usernames.change(username) })),
  removeAvatar: () =>
    resultOf(async () => {
      await session.core.profiles.ownAvatar.remove();
      return { image: null };
    }),
});
