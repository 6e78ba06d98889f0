import { z } from 'zod';
import type { DeviceSession } from '../domain/devices';
import { deviceNameSchema } from '../domain/devices';
import { deviceIdSchema } from '../domain/ids';
import type { ServiceDescriptor } from './service';

const empty = z.object({}).strict();

/** One device in Active sessions; `thisDevice` marks the one asking. */
export type DeviceListItem = DeviceSession & { thisDevice: boolean };

/**
 * Active sessions (A9), answered by the server on each call (nothing cached). `list` puts this
 * device first. `terminate` ends another device's session at once (its credentials stop working,
 * its socket closes, its queue is deleted, and it wipes itself); it refuses this device
 * (`invalid_argument`). `terminateOthers` ends every other device's session and answers which.
 * If this device's own session was ended meanwhile, the call fails `not_signed_in` and
 * `account.onDidChangeState` reports the ended session.
 */
export const devicesService = {
  methods: {
    list: empty,
    renameThisDevice: z.object({ name: deviceNameSchema }).strict(),
    terminate: z.object({ deviceId: deviceIdSchema }).strict(),
    terminateOthers: empty,
  },
  events: [],
} as const satisfies ServiceDescriptor;

export type DevicesResults = {
  list: { devices: DeviceListItem[] };
  renameThisDevice: null;
  terminate: null;
  terminateOthers: { terminated: number[] };
};
export type DevicesEvents = Record<never, never>;
