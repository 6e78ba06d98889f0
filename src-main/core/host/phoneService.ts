import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The phone service (src-shared/ipc/phone.ts) over the signed-in core. */
export const phoneServiceOf = (session: ProfileSession): ServiceImplementation<'phone'> => ({
  get: () => resultOf(() => session.core.phone.current()),
  sendCode: ({ number }) => resultOf(async () => ({ number: await session.core.phone.sendCode(number) })),
  verify: ({ code }) => resultOf(() => session.core.phone.verify(code)),
  setDiscoverable: ({ discoverable }) => resultOf(() => session.core.phone.setDiscoverable(discoverable)),
  remove: () =>
    resultOf(async () => {
      await session.core.phone.remove();
      return null;
    }),
});
