import { z } from 'zod';
import { LIMITS } from './limits';

/** An account's stable id: a random UUID chosen by the server at registration. */
export const accountIdSchema = z.uuid();
export type AccountId = z.infer<typeof accountIdSchema>;

/** A device id within its account; the first device is 1. */
export const deviceIdSchema = z.number().int().min(1).max(127);
export type DeviceId = z.infer<typeof deviceIdSchema>;

/** libsignal registration ids are 14-bit, never 0. */
export const registrationIdSchema = z.number().int().min(1).max(16380);

/**
 * A username as typed: case-insensitive, stored lower-case. Letters, digits and underscores,
 * starting with a letter. A leading '@' is accepted and dropped.
 */
export const usernameSchema = z
  .string()
  .trim()
  .transform((value) => (value.startsWith('@') ? value.slice(1) : value).toLowerCase())
  .pipe(
    z
      .string()
      .min(LIMITS.usernameMinLength, `a username has at least ${LIMITS.usernameMinLength} characters`)
      .max(LIMITS.usernameMaxLength, `a username has at most ${LIMITS.usernameMaxLength} characters`)
      .regex(/^[a-z][a-z0-9_]*$/, 'a username is letters, digits and underscores, starting with a letter'),
  );

export const passwordSchema = z
  .string()
  .min(LIMITS.passwordMinLength, `a password has at least ${LIMITS.passwordMinLength} characters`)
  .max(LIMITS.passwordMaxLength, `a password has at most ${LIMITS.passwordMaxLength} characters`);

/** Standard base64 (with padding), bounded so a hostile peer cannot make us decode megabytes. */
export const base64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4)
    // Checked without backtracking: a group-by-group pattern overflows V8's stack on a few MB.
    .refine((text) => text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text), 'not base64');

/** An opaque id made by one side (request ids, idempotency keys, envelope ids). */
export const opaqueIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'not an id');
