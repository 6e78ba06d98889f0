import { bytesToUtf8, utf8ToBytes } from '@noble/ciphers/utils.js';

/**
 * Turns a record's private fields into bytes for sealing, and back. JSON, with one extension:
 * Uint8Array values (attachment keys, later) survive the round trip as tagged base64.
 */
const BYTES_TAG = '$bytes';

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function encodePayload(payload: Record<string, unknown>): Uint8Array {
  const json = JSON.stringify(payload, (_field, value: unknown) =>
    value instanceof Uint8Array ? { [BYTES_TAG]: bytesToBase64(value) } : value,
  );
  return utf8ToBytes(json);
}

export function decodePayload(bytes: Uint8Array): Record<string, unknown> {
  const parsed: unknown = JSON.parse(bytesToUtf8(bytes), (_field, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const tagged = (value as Record<string, unknown>)[BYTES_TAG];
      if (typeof tagged === 'string' && Object.keys(value).length === 1) return base64ToBytes(tagged);
    }
    return value;
  });
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError('A sealed payload is not an object');
  }
  return parsed as Record<string, unknown>;
}
