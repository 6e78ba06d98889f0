/** One encoder and decoder for every record (noble's helpers make new ones, and copy, per call). */
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Turns a record's private fields into bytes for sealing, and back. JSON, with one extension:
 * Uint8Array values (attachment keys, later) survive the round trip as tagged base64.
 */
const BYTES_TAG = '$bytes';

export function bytesToBase64(bytes: Uint8Array): string {
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

/** A payload of strings, numbers, booleans and nulls only (a message's): JSON as it is, no replacer needed. */
function isFlat(payload: Record<string, unknown>): boolean {
  for (const field in payload) {
    const value = payload[field];
    if (value !== null && typeof value === 'object') return false;
  }
  return true;
}

export function encodePayload(payload: Record<string, unknown>): Uint8Array {
  // The replacer runs for every value; most records (messages) have nothing for it to do.
  const json = isFlat(payload)
    ? JSON.stringify(payload)
    : JSON.stringify(payload, (_field, value: unknown) => (value instanceof Uint8Array ? { [BYTES_TAG]: bytesToBase64(value) } : value));
  return utf8Encoder.encode(json);
}

export function decodePayload(bytes: Uint8Array): Record<string, unknown> {
  const json = utf8Decoder.decode(bytes);
  // JSON.stringify writes the tag's name as it is, so a payload without it has no bytes to revive.
  const parsed: unknown = json.includes(`"${BYTES_TAG}"`)
    ? JSON.parse(json, (_field, value: unknown) => {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          const tagged = (value as Record<string, unknown>)[BYTES_TAG];
          if (typeof tagged === 'string' && Object.keys(value).length === 1) return base64ToBytes(tagged);
        }
        return value;
      })
    : JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError('A sealed payload is not an object');
  }
  return parsed as Record<string, unknown>;
}
