import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionFailedError } from '../crypto/aead';
import { decodeLinkCode, encodeLinkCode, LinkCodeError, type LinkCode } from './linkCode';
import { newLinkKeyPair, openWithLinkKey, sealToLinkKey } from './linkSeal';

const code = (key: string): LinkCode => ({
  v: 1,
  server: 'http://127.0.0.1:8787/',
  address: 'A'.repeat(21) + 'B',
  key,
  name: 'Laptop',
  platform: 'linux',
});

describe('link codes', () => {
  it('round-trip, whitespace and line breaks ignored', () => {
    const keys = newLinkKeyPair();
    const text = encodeLinkCode(code(keys.publicKey));
    expect(text).toMatch(/^parley-link:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{6}$/);
    expect(decodeLinkCode(`  ${text.slice(0, 30)}\n${text.slice(30)} `)).toEqual(code(keys.publicKey));
  });

  it('say mistyped for a changed, cut or foreign code, and unsupported for another version', () => {
    const text = encodeLinkCode(code(newLinkKeyPair().publicKey));
    const changed = text.slice(0, 20) + (text[20] === 'a' ? 'b' : 'a') + text.slice(21);
    for (const bad of [changed, text.slice(0, -1), text.slice(0, 40), 'hello', '', `parley-link:${'x'.repeat(3000)}.abcdef`]) {
      expect(() => decodeLinkCode(bad), bad).toThrow(LinkCodeError);
      try {
        decodeLinkCode(bad);
      } catch (error) {
        expect((error as LinkCodeError).problem).toBe('mistyped');
      }
    }
    const body = Buffer.from(JSON.stringify({ ...code(newLinkKeyPair().publicKey), v: 2 })).toString('base64url');
    const future = `parley-link:${body}.${createHash('sha256').update(body).digest('base64url').slice(0, 6)}`;
    expect(() => decodeLinkCode(future)).toThrow(expect.objectContaining({ problem: 'unsupported' }));
  });
});

describe('sealing to a link key', () => {
  it('opens with the code holder key only, and fails on any change', () => {
    const keys = newLinkKeyPair();
    const sealed = sealToLinkKey(keys.publicKey, Buffer.from('the account and its keys'));
    expect(openWithLinkKey(keys, sealed).toString()).toBe('the account and its keys');
    expect(() => openWithLinkKey(newLinkKeyPair(), sealed)).toThrow(DecryptionFailedError);
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => openWithLinkKey(keys, bytes.toString('base64'))).toThrow(DecryptionFailedError);
    expect(() => openWithLinkKey(keys, 'AAAA')).toThrow(DecryptionFailedError);
    // Two seals of the same text differ (a fresh sender key each time).
    expect(sealToLinkKey(keys.publicKey, Buffer.from('x'))).not.toBe(sealToLinkKey(keys.publicKey, Buffer.from('x')));
  });
});
