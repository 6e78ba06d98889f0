import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionFailedError, open, seal } from './aead';

describe('aead', () => {
  const key = randomBytes(32);
  const place = Buffer.from('inbox\0key');

  it('opens what it sealed, bound to its place, and refuses anything altered', () => {
    for (const size of [0, 1, 15, 16, 17, 4_000]) {
      const plaintext = randomBytes(size);
      const sealed = seal(key, plaintext, place);
      expect(sealed.length).toBe(1 + 12 + 16 + size);
      expect(open(key, sealed, place).equals(plaintext)).toBe(true);
      expect(() => open(key, sealed, Buffer.from('outbox\0key'))).toThrow(DecryptionFailedError);
      expect(() => open(randomBytes(32), sealed, place)).toThrow(DecryptionFailedError);
      for (const at of [0, 1, 13, sealed.length - 1]) {
        if (at >= sealed.length) continue;
        const altered = Buffer.from(sealed);
        altered[at]! ^= 1;
        expect(() => open(key, altered, place)).toThrow(DecryptionFailedError);
      }
    }
  });

  it('never uses a nonce twice, across refills of the nonce pool', () => {
    const nonces = new Set<string>();
    for (let index = 0; index < 2_000; index += 1) {
      nonces.add(seal(key, Buffer.of(index & 255), place).subarray(1, 13).toString('hex'));
    }
    expect(nonces.size).toBe(2_000);
  });
});
