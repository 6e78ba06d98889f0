import type { ProtocolAddress } from '@signalapp/libsignal-client';

/** Who this device is, as the sync engine needs it. */
export type LocalDevice = {
  accountId: string;
  deviceId: number;
  address: ProtocolAddress;
};
