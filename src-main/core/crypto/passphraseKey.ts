import { randomBytes, scrypt } from 'node:crypto';
import { z } from 'zod';
import { open, seal } from './aead';

/**
 * A random 32-byte vault key, wrapped by a key derived from a passphrase (scrypt). The wrapped
 * form is what the command-line and test shells keep beside the vault; the passphrase and the
 * vault key itself are never written.
 */
export const wrappedKeySchema = z.object({
  version: z.literal(1),
  kdf: z.literal('scrypt'),
  salt: z.string(),
  cost: z.number().int().min(1024).max(2 ** 20),
  blockSize: z.number().int().min(1).max(32),
  parallelization: z.number().int().min(1).max(16),
  wrapped: z.string(),
});
export type WrappedKey = z.infer<typeof wrappedKeySchema>;

const WRAP_CONTEXT = Buffer.from('parley vault key v1');
const DEFAULT_COST = 2 ** 15;

function deriveKey(passphrase: string, salt: Buffer, cost: number, blockSize: number, parallelization: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFKC'),
      salt,
      32,
      { N: cost, r: blockSize, p: parallelization, maxmem: 256 * cost * blockSize + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function wrapKey(vaultKey: Uint8Array, passphrase: string, cost = DEFAULT_COST): Promise<WrappedKey> {
  const salt = randomBytes(16);
  const keyEncryptionKey = await deriveKey(passphrase, salt, cost, 8, 1);
  return {
    version: 1,
    kdf: 'scrypt',
    salt: salt.toString('base64'),
    cost,
    blockSize: 8,
    parallelization: 1,
    wrapped: seal(keyEncryptionKey, vaultKey, WRAP_CONTEXT).toString('base64'),
  };
}

/** Throws DecryptionFailedError when the passphrase is wrong. */
export async function unwrapKey(wrapped: WrappedKey, passphrase: string): Promise<Buffer> {
  const keyEncryptionKey = await deriveKey(
    passphrase,
    Buffer.from(wrapped.salt, 'base64'),
    wrapped.cost,
    wrapped.blockSize,
    wrapped.parallelization,
  );
  return open(keyEncryptionKey, Buffer.from(wrapped.wrapped, 'base64'), WRAP_CONTEXT);
}
