import { z } from 'zod';
import { deviceIdSchema } from './ids';
import { LIMITS } from './limits';

/** No control characters (C0, DEL, C1), no bidirectional overrides: what a list shows is what was typed. */
const printable = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;

/** A device's name as the person typed it (A9): trimmed, 1 to 64 printable characters. */
export const deviceNameSchema = z
  .string()
  .trim()
  .min(1, 'a device name cannot be empty')
  .max(LIMITS.deviceNameMaxLength, `a device name has at most ${LIMITS.deviceNameMaxLength} characters`)
  .regex(printable, 'a device name cannot hold control characters');

/** The operating system family a device runs on. */
export const devicePlatformSchema = z.enum(['linux', 'macos', 'windows', 'other']);
export type DevicePlatform = z.infer<typeof devicePlatformSchema>;

const detailText = z.string().trim().max(LIMITS.deviceDetailMaxLength).regex(printable, 'control characters are not allowed');

/**
 * What a device says of itself at registration, shown in Active sessions (A9). This and the name
 * are all the server keeps about a device (H6): no address, no user agent, no hostname.
 * `osVersion` is the kernel or OS release ("6.1.0"), `appVersion` the shell and its version
 * ("desktop 0.1.0", "cli 0.1.0").
 */
export const deviceDetailsSchema = z
  .object({ platform: devicePlatformSchema, osVersion: detailText, appVersion: detailText })
  .strict();
export type DeviceDetails = z.infer<typeof deviceDetailsSchema>;

/**
 * One device of my account as Active sessions lists it. Days are whole UTC days since the epoch
 * (the server keeps activity at day granularity only). A device registered before details were
 * kept has platform `other` and empty versions.
 */
export const deviceSessionSchema = z.object({
  deviceId: deviceIdSchema,
  name: z.string(),
  platform: devicePlatformSchema,
  osVersion: z.string(),
  appVersion: z.string(),
  createdDay: z.number().int().min(0),
  lastSeenDay: z.number().int().min(0),
});
export type DeviceSession = z.infer<typeof deviceSessionSchema>;
