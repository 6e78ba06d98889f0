import { z } from 'zod';
import { accountIdSchema } from '../domain/ids';
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
  /** POST PhoneLookupRequest → LookupAccountResponse, only while that number's account lets itself be found; rate-limited per source. (A body, so proxies' access logs never hold the number.) */
  lookup: '/v1/phone/lookup',
  /**
   * B2: PUT SyncContactsRequest → SyncContactsResponse. The account's synced contacts become
   * these numbers, kept only as keyed hashes; the answer names who of them can be found (by the
   * index of their number in the request), never the account itself. DELETE → 204: all gone at once.
   */
  syncedContacts: '/v1/contacts/synced',
} as const;

/** At most this many numbers synced per account. */
export const SYNCED_CONTACTS_MAX = 5_000;

export const sendCodeRequestSchema = z.object({ number: phoneNumberSchema }).strict();
export const verifyCodeRequestSchema = z.object({ code: phoneCodeSchema }).strict();
export const discoverableRequestSchema = z.object({ discoverable: z.boolean() }).strict();
export const phoneLookupRequestSchema = z.object({ number: phoneNumberSchema }).strict();

/** My number as my devices see it (E.164), and whether others can find me by it. */
export const phoneNumberStateSchema = z.object({ number: z.string(), discoverable: z.boolean() });
export type PhoneNumberState = z.infer<typeof phoneNumberStateSchema>;

export const syncContactsRequestSchema = z.object({ numbers: z.array(phoneNumberSchema).max(SYNCED_CONTACTS_MAX) }).strict();
export const syncContactsResponseSchema = z.object({
  matches: z.array(z.object({ index: z.number().int().nonnegative().max(SYNCED_CONTACTS_MAX), accountId: accountIdSchema, username: z.string().min(1).max(64) })).max(SYNCED_CONTACTS_MAX),
});
export type SyncContactsResponse = z.infer<typeof syncContactsResponseSchema>;
