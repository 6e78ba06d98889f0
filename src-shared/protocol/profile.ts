import { z } from 'zod';
import { accountIdSchema, base64 } from '../domain/ids';

/**
 * Profiles (A2), end-to-end encrypted the way Signal does it: the account's profile key seals
 * the name and bio on the device; the server keeps the sealed bytes under the key's version (a
 * hash the key yields, which tells nothing of it) and hands them to whoever names that version.
 * The key itself reaches people only inside end-to-end encrypted messages.
 */
export const PROFILE_ROUTES = {
  /** PUT, device auth: PutProfileRequest → 204. Replaces this account's sealed profile. */
  self: '/v1/profile',
  /** GET `/v1/profile/ACCOUNT/VERSION`, device auth → ProfileResponse; `not_found` unless that is the account's current version. */
  ofAccount: '/v1/profile/',
  /** PUT, device auth: PutAvatarRequest → 204 (replaces this account's sealed avatar); DELETE → 204. */
  avatar: '/v1/avatar',
  /** GET `/v1/avatar/ACCOUNT/VERSION`, device auth → ProfileResponse; `not_found` unless that is the account's current avatar version. */
  avatarOfAccount: '/v1/avatar/',
} as const;

/** Sealed bytes of one profile: a display name, a bio, padded (the avatar comes separately). */
export const PROFILE_CIPHERTEXT_MAX_BYTES = 4_096;

/** A profile key's version: 16 bytes the key derives (HKDF), as 32 lower-case hex digits. */
export const profileVersionSchema = z.string().regex(/^[0-9a-f]{32}$/, 'a profile version is 32 hex digits');

export const putProfileRequestSchema = z.object({ version: profileVersionSchema, ciphertext: base64(PROFILE_CIPHERTEXT_MAX_BYTES) }).strict();
export type PutProfileRequest = z.infer<typeof putProfileRequestSchema>;

/** Sealed bytes of one avatar (A4): a 256-pixel square image, padded and sealed, base64 on the wire. */
export const AVATAR_CIPHERTEXT_MAX_BYTES = 300 * 1024;

export const putAvatarRequestSchema = z.object({ version: profileVersionSchema, ciphertext: base64(AVATAR_CIPHERTEXT_MAX_BYTES) }).strict();
export type PutAvatarRequest = z.infer<typeof putAvatarRequestSchema>;

export const profileParamsSchema = z.object({ accountId: accountIdSchema, version: profileVersionSchema });
export const profileResponseSchema = z.object({ ciphertext: z.string() });
export type ProfileResponse = z.infer<typeof profileResponseSchema>;
