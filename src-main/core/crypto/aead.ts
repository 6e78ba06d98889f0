import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * AES-256-GCM for data at rest. Layout: version (1) ‖ nonce (12) ‖ tag (16) ‖ ciphertext.
 * The associated data binds a record to its place (collection and key), so a record copied
 * into another row fails to open instead of being read as something else.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

export class DecryptionFailedError extends Error {
  constructor() {
    super('the data could not be decrypted: wrong key, or it was altered');
    this.name = 'DecryptionFailedError';
  }
}

/**
 * Random nonces are drawn from a pool filled 4 KiB at a time from the system's CSPRNG: the same
 * randomness, without a system call per record (sealing is on every vault write). Each nonce is
 * used once and the pool is refilled, never reused.
 */
const noncePool = { bytes: Buffer.alloc(4_096), used: 4_096 };

function freshNonce(into: Buffer) {
  if (noncePool.used + NONCE_BYTES > noncePool.bytes.length) {
    randomFillSync(noncePool.bytes);
    noncePool.used = 0;
  }
  noncePool.bytes.copy(into, 0, noncePool.used, noncePool.used + NONCE_BYTES);
  noncePool.bytes.fill(0, noncePool.used, noncePool.used + NONCE_BYTES);
  noncePool.used += NONCE_BYTES;
}

export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
  const sealed = Buffer.allocUnsafe(HEADER_BYTES + plaintext.length);
  sealed[0] = VERSION;
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  freshNonce(nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData);
  const written = cipher.update(plaintext);
  const last = cipher.final();
  written.copy(sealed, HEADER_BYTES);
  last.copy(sealed, HEADER_BYTES + written.length);
  cipher.getAuthTag().copy(sealed, 1 + NONCE_BYTES);
  return sealed;
}

export function open(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Buffer {
  if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) throw new DecryptionFailedError();
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(1 + NONCE_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(associatedData);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionFailedError();
  }
}
