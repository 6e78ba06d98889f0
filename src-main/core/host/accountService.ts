import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The account service (src-shared/ipc/account.ts) over one profile's session. */
export const accountServiceOf = (session: ProfileSession): ServiceImplementation<'account'> => ({
  getState: () => resultOf(() => session.state),
  register: ({ username, password }) => resultOf(() => session.register(username, password)),
  unlock: ({ password }) => resultOf(() => session.unlock(password)),
  historyKey: () => resultOf(() => ({ storageKey: session.historyKey.toString('base64') })),
  linkRequirements: () => resultOf(() => ({ password: session.linkNeedsPassword })),
  startLink: ({ password }) => resultOf(() => session.startLink(password)),
  devicesOfAccount: ({ username, password }) => resultOf(async () => ({ devices: await session.devicesOfAccount(username, password) })),
  startFresh: ({ username, password }) => resultOf(() => session.startFresh(username, password)),
  cancelLink: () =>
    resultOf(async () => {
      await session.cancelLink();
      return null;
    }),
});
