import { z } from 'zod';
import { linkedDirectorySchema } from '../domain/linkedDirectory';
import type { DevicePlatform, DeviceSession } from '../domain/devices';
import { deviceNameSchema } from '../domain/devices';
import { deviceIdSchema } from '../domain/ids';
import type { ServiceDescriptor } from './service';

const empty = z.object({}).strict();
/** A pasted link code, read by main (which says what is wrong with it); bounded here. */
const linkCodeTextSchema = z.string().min(1).max(4_000);

/** The new device as its link code describes it, shown before the person confirms. */
export type LinkedDevicePreview = { name: string; platform: DevicePlatform };

/** One device in Active sessions; `thisDevice` marks the one asking. */
export type DeviceListItem = DeviceSession & { thisDevice: boolean };

/**
 * Active sessions (A9), answered by the server on each call (nothing cached). `list` puts this
 * device first. `terminate` ends another device's session at once (its credentials stop working,
 * its socket closes, its queue is deleted, and it wipes itself); it refuses this device
 * (`invalid_argument`). `terminateOthers` ends every other device's session and answers which.
 * Linking (C5): `inspectLinkCode` reads a new device's code (`invalid_argument` saying why it
 * cannot be used: mistyped, another server, another version); `link` answers it once the person
 * confirmed (`invalid_argument` too when it expired or was used meanwhile), handing the new
 * device the renderer's contacts and chat list (`directory`) with the keys.
 * If this device's own session was ended meanwhile, the call fails `not_signed_in` and
 * `account.onDidChangeState` reports the ended session.
 */
export const devicesService = {
  methods: {
    list: empty,
    renameThisDevice: z.object({ name: deviceNameSchema }).strict(),
    terminate: z.object({ deviceId: deviceIdSchema }).strict(),
    terminateOthers: empty,
    inspectLinkCode: z.object({ code: linkCodeTextSchema }).strict(),
    link: z.object({ code: linkCodeTextSchema, directory: linkedDirectorySchema.optional() }).strict(),
  },
  events: [],
} as const satisfies ServiceDescriptor;

export type DevicesResults = {
  list: { devices: DeviceListItem[] };
  renameThisDevice: null;
  terminate: null;
  terminateOthers: { terminated: number[] };
  inspectLinkCode: LinkedDevicePreview;
  link: LinkedDevicePreview;
};
export type DevicesEvents = Record<never, never>;
