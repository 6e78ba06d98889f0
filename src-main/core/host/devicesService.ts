import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The devices service (src-shared/ipc/devices.ts): Active sessions through the signed-in core. */
export const devicesServiceOf = (session: ProfileSession): ServiceImplementation<'devices'> => ({
  list: () => resultOf(async () => ({ devices: await session.core.devices.list() })),
  renameThisDevice: ({ name }) =>
    resultOf(async () => {
      await session.core.devices.renameThisDevice(name);
      return null;
    }),
  terminate: ({ deviceId }) =>
    resultOf(async () => {
      await session.core.devices.terminate(deviceId);
      return null;
    }),
  terminateOthers: () => resultOf(async () => ({ terminated: await session.core.devices.terminateOthers() })),
  inspectLinkCode: ({ code }) => resultOf(() => session.core.devices.inspectLinkCode(code)),
  link: ({ code, directory }) => resultOf(() => session.core.devices.link(code, directory)),
});
