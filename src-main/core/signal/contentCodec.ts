import { contentSchema, type Content } from '../../../src-shared/protocol/content';
import { pad, unpad } from '../crypto/padding';
import type { Bytes } from '../util/bytes';

/** Content ⇄ the padded bytes that go into libsignal. Decoding validates against the shared schema. */
export const encodeContent = (content: Content): Bytes => pad(Buffer.from(JSON.stringify(content), 'utf8'));

export function decodeContent(plaintext: Uint8Array): Content {
  const json: unknown = JSON.parse(Buffer.from(unpad(plaintext)).toString('utf8'));
  return contentSchema.parse(json);
}
