import { describe, expect, it } from 'vitest';
import { decodeContent, encodeContent } from './contentCodec';

const text = (body: string) => ({ kind: 'text' as const, messageId: '0b6a3c9e-8d7f-4a43-9d55-0f6a6f7b2a10', sentAt: 1, text: body });

describe('content codec', () => {
  it('round-trips every kind of content', () => {
    for (const content of [
      text('hello 👋🏽 مرحبا <script>alert(1)</script>'),
      { kind: 'receipt' as const, receiptType: 'delivered' as const, messageIds: ['0b6a3c9e-8d7f-4a43-9d55-0f6a6f7b2a10'] },
      { kind: 'sent_transcript' as const, to: '7c9e6679-7425-40de-944b-e07fc1f90ae7', message: text('copy') },
      { kind: 'typing' as const, typing: true },
      { kind: 'typing' as const, typing: false },
    ]) {
      expect(decodeContent(encodeContent(content))).toEqual(content);
    }
  });

  it('pads to 160-byte classes, so lengths reveal only a size class', () => {
    expect(encodeContent(text('a')).length).toBe(160);
    expect(encodeContent(text('a'.repeat(40))).length).toBe(encodeContent(text('b')).length);
    expect(encodeContent(text('a'.repeat(200))).length % 160).toBe(0);
    // A typing indicator is as long as a short text: its ciphertext does not tell it apart.
    expect(encodeContent({ kind: 'typing', typing: true }).length).toBe(encodeContent(text('a')).length);
    expect(encodeContent({ kind: 'typing', typing: false }).length).toBe(160);
  });

  it('refuses content that does not match the shared schema', () => {
    const forged = new TextEncoder().encode(JSON.stringify({ kind: 'text', messageId: 'x', sentAt: -1, text: '' }));
    const padded = new Uint8Array(160);
    padded.set(forged);
    padded[forged.length] = 0x80;
    expect(() => decodeContent(padded)).toThrow();
    expect(() => decodeContent(new Uint8Array(160))).toThrow('invalid padding');
  });
});
