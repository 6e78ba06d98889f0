import { z } from 'zod';
import { base64 } from '../domain/ids';
import { deviceKeysSchema } from './keys';

/**
 * Linking a device (C5, ARCHITECTURE §3): the new device opens a one-time provisioning address
 * and puts it, with a fresh ephemeral public key, in its link code; an existing device asks for
 * a one-time link token, seals what the new device needs (token included) to that key, and
 * leaves the sealed blob at the address; the new device collects it, opens it, and registers
 * with the token. The server relays the blob without being able to read it.
 */
export const LINKING_ROUTES = {
  /** POST, no auth, no body → ProvisioningSlot (201): a fresh address, open for LINK_TTL_MS. */
  provisioning: '/v1/provisioning',
  /**
   * `/v1/provisioning/<address>`. PUT, device auth: ProvisioningMessage → 204, once per address
   * (`not_found` when it expired or never was, `forbidden` when it already holds one). GET, no
   * auth (the address is the secret): waits up to `?wait=` seconds (at most 30) for the message →
   * ProvisioningMessage (200), or 204 when none came yet; `not_found` once expired. The message
   * is deleted when it is collected.
   */
  provisioningSlot: '/v1/provisioning/',
  /** POST, device auth, no body → LinkToken (201): one registration of one more device of the account, within LINK_TTL_MS. */
  linkTokens: '/v1/devices/link-tokens',
  /** POST, no auth: LinkDeviceRequest → RegisterAccountResponse (201); `forbidden` for a token used, expired or unknown. */
  linkedDevice: '/v1/devices/linked',
} as const;

/** How long a provisioning address and a link token stay usable. */
export const LINK_TTL_MS = 10 * 60 * 1000;
/** Longest GET wait a new device may ask for. */
export const PROVISIONING_WAIT_MAX_SECONDS = 30;

/** 16 random bytes, base64url without padding: unguessable, so it needs no credentials. */
export const provisioningAddressSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a provisioning address');

export const provisioningSlotSchema = z.object({ address: provisioningAddressSchema, expiresAt: z.number().int() });
export type ProvisioningSlot = z.infer<typeof provisioningSlotSchema>;

/** The sealed blob: opaque to the server; at most 64 KiB of ciphertext. */
/** A sealed link payload's bytes: keys, a token, and up to LINKED_DIRECTORY_MAX contacts and chats (well under this). */
export const PROVISIONING_BODY_MAX = 1024 * 1024;
export const provisioningMessageSchema = z.object({ body: base64(PROVISIONING_BODY_MAX) }).strict();
export type ProvisioningMessage = z.infer<typeof provisioningMessageSchema>;

/** 32 random bytes, base64url without padding; the server keeps only its hash. */
export const linkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a link token');
export const linkTokenResponseSchema = z.object({ token: linkTokenSchema, expiresAt: z.number().int() });
export type LinkTokenResponse = z.infer<typeof linkTokenResponseSchema>;

export const linkDeviceRequestSchema = z.object({ linkToken: linkTokenSchema, device: deviceKeysSchema }).strict();
export type LinkDeviceRequest = z.input<typeof linkDeviceRequestSchema>;

export const provisioningWaitSchema = z.object({
  wait: z
    .string()
    .regex(/^\d{1,2}$/, 'wait is whole seconds')
    .transform(Number)
    .pipe(z.number().int().min(0).max(PROVISIONING_WAIT_MAX_SECONDS))
    .optional(),
});
