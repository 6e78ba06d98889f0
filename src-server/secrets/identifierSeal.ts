import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { ServerSecrets } from './serverSecrets';

/**
 * Identifiers (a phone number; later an email address) as the server keeps them (H3): found only
 * by a keyed hash, and otherwise sealed (AES-256-GCM, bound to the account), both with keys kept
 * outside the database. Neither the hash nor the sealed bytes say anything without those keys.
 */
export function identifierSeal(secrets: ServerSecrets) {
  return {
    /** The keyed hash an identifier is looked up by (HMAC-SHA-256, hex), separated by kind. */
    hash(kind: 'phone', identifier: string): string {
      return createHmac('sha256', secrets.lookupKey).update(`${kind}\u0000${identifier}`).digest('hex');
    },

    seal(accountId: string, identifier: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secrets.identifierKey, iv);
      cipher.setAAD(Buffer.from(accountId));
      const sealed = Buffer.concat([cipher.update(identifier, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
    },

    /** Opens what `seal` made for `accountId`; throws when it does not open (another key, another account). */
    open(accountId: string, sealed: string): string {
      const bytes = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', secrets.identifierKey, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(accountId));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

export type IdentifierSeal = ReturnType<typeof identifierSeal>;
