import { z } from 'zod';

/**
 * Every error the server can answer with, on HTTP and on the WebSocket. Clients branch on the
 * code, never on the message (which is for people and logs).
 */
export const errorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  /**
   * Device credentials of a device the account no longer has: it was terminated from another
   * device (A9), or the account is gone. The device wipes its data and shows the sign-in screen.
   */
  'session_ended',
  'forbidden',
  'not_found',
  'username_taken',
  'too_many_devices',
  'identity_mismatch',
  'mismatched_devices',
  'stale_devices',
  'unsupported_version',
  'payload_too_large',
  /** A key's signature does not verify against the account's identity key. */
  'invalid_signature',
  /** The recipient device's queue holds as many bytes as it may; the sender retries later. */
  'quota_exceeded',
  'rate_limited',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** A device the sender must add or drop before a send can succeed. */
export const deviceRefSchema = z.object({ accountId: z.uuid(), deviceId: z.number().int().min(1).max(127) });
export type DeviceRef = z.infer<typeof deviceRefSchema>;

export const wireErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string().max(1_000),
  /** With `mismatched_devices`: devices the send left out, and devices it named that do not exist. */
  missing: z.array(deviceRefSchema).max(256).optional(),
  extra: z.array(deviceRefSchema).max(256).optional(),
  /** With `stale_devices`: devices whose registration id changed (re-registered); re-fetch their keys. */
  stale: z.array(deviceRefSchema).max(256).optional(),
  /** With `rate_limited` and `quota_exceeded`: seconds to wait before trying again (HTTP also sends `Retry-After`). */
  retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/** The body of every non-2xx HTTP answer. */
export const errorBodySchema = z.object({ error: wireErrorSchema });
export type ErrorBody = z.infer<typeof errorBodySchema>;
