import { createHmac, hash } from 'node:crypto';

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;
/** Texts up to this many UTF-8 bytes are hashed in a buffer kept for it; longer ones the ordinary way. */
const MESSAGE_ROOM = 1_024;

/**
 * HMAC-SHA-256 (RFC 2104) of short texts under one key: the same bytes as `createHmac`, at about
 * half its CPU. createHmac builds a keyed context per call, and the vault hashes a lookup key on
 * nearly every read and write; here the padded keys are made once and each digest is two one-shot
 * `crypto.hash` calls over buffers that are reused (so not reentrant: one instance per owner, and
 * the returned digest is a fresh buffer).
 */
export class HmacSha256 {
  private readonly inner = Buffer.alloc(BLOCK_BYTES + MESSAGE_ROOM);
  private readonly outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES);

  constructor(private readonly key: Uint8Array) {
    // A key longer than a block is first hashed (RFC 2104 §2); a shorter one is padded with zeros.
    const block = Buffer.alloc(BLOCK_BYTES);
    block.set(key.length > BLOCK_BYTES ? hash('sha256', key, 'buffer') : key);
    for (let index = 0; index < BLOCK_BYTES; index++) {
      this.inner[index] = block[index]! ^ 0x36;
      this.outer[index] = block[index]! ^ 0x5c;
    }
  }

  digest(text: string): Buffer {
    // Buffer.write stops short rather than overflow: a text that may not fit goes the slow way.
    if (text.length * 3 > MESSAGE_ROOM) return createHmac('sha256', this.key).update(text).digest();
    const length = this.inner.write(text, BLOCK_BYTES, 'utf8');
    hash('sha256', this.inner.subarray(0, BLOCK_BYTES + length), 'buffer').copy(this.outer, BLOCK_BYTES);
    return hash('sha256', this.outer, 'buffer');
  }
}
