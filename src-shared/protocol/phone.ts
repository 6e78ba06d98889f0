import { z } from 'zod';
import { phoneCodeSchema, phoneNumberSchema } from '../domain/phoneNumber';

/**
 * Phone numbers (H3), device auth throughout. The server keeps a number only as a keyed hash and
 * sealed, and shows it to no one but its own account's devices.
 */
export const PHONE_ROUTES = {
  /** GET → PhoneNumberState, or `not_found` when the account has none. DELETE → 204: removed at once. */
  self: '/v1/phone',
  /** POST SendCodeRequest → 204: a six-digit code goes to the number (valid ten minutes; the last asked for counts). */
  code: '/v1/phone/code',
  /** POST VerifyCodeRequest → PhoneNumberState; `forbidden` for a wrong or expired code (five tries per code). */
  verify: '/v1/phone/verify',
  /** PUT DiscoverableRequest → PhoneNumberState: "Find me by my phone number". */
  discoverable: '/v1/phone/discoverable',
  /** GET `?number=` → LookupAccountResponse, only while that number's account lets itself be found; rate-limited per source. */
  lookup: '/v1/phone/lookup',
} as const;

export const sendCodeRequestSchema = z.object({ number: phoneNumberSchema }).strict();
export const verifyCodeRequestSchema = z.object({ code: phoneCodeSchema }).strict();
export const discoverableRequestSchema = z.object({ discoverable: z.boolean() }).strict();
export const phoneLookupQuerySchema = z.object({ number: phoneNumberSchema }).strict();

/** My number as my devices see it (E.164), and whether others can find me by it. */
export const phoneNumberStateSchema = z.object({ number: z.string(), discoverable: z.boolean() });
export type PhoneNumberState = z.infer<typeof phoneNumberStateSchema>;
