import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from './hmacSha256';

describe('HmacSha256', () => {
  const texts = ['', 'a', 'processed\0' + 'x'.repeat(36), 'inbox\0message:é✓😀', 'y'.repeat(341), 'z'.repeat(342), '€'.repeat(400), 'w'.repeat(5_000)];

  it.each([16, 32, 64, 65, 200])('gives the bytes createHmac gives, with a %d-byte key', (keyBytes) => {
    const key = randomBytes(keyBytes);
    const hmac = new HmacSha256(key);
    for (const text of texts) expect(hmac.digest(text).equals(createHmac('sha256', key).update(text).digest())).toBe(true);
  });

  it('returns a digest that the next call does not overwrite', () => {
    const hmac = new HmacSha256(randomBytes(32));
    const first = hmac.digest('first');
    const copy = Buffer.from(first);
    hmac.digest('second');
    expect(first.equals(copy)).toBe(true);
  });
});
