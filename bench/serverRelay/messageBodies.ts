import { randomBytes } from 'node:crypto';

/**
 * Pre-encrypted envelope bodies: random bytes standing in for libsignal ciphertext, base64 as on
 * the wire. ~200 bytes is a Whisper message of a short text (ciphertext type 2); ~2 KB is a
 * PreKey message, which carries the Kyber ciphertext (type 3). The first 6 bytes of every body
 * are a message number, so the receiving side of the bench can match a delivered envelope to
 * the moment it was sent without any field the server would have to carry for us.
 */
export type BodyMix = 'small' | 'large' | 'mix';

export const SMALL_BODY_BYTES = 200;
export const LARGE_BODY_BYTES = 2_048;
/** Of every MIX_PERIOD messages in a mix, one is large: 80 % small, 20 % large. */
const MIX_PERIOD = 5;
const POOL = 32;
/** 6 bytes are 8 base64 characters exactly, so the rest of the body stays valid base64. */
const NUMBER_BYTES = 6;
const NUMBER_CHARS = 8;

export type Body = { body: string; ciphertextType: 2 | 3 };

export class MessageBodies {
  private readonly small = Array.from({ length: POOL }, () => randomBytes(SMALL_BODY_BYTES).toString('base64').slice(NUMBER_CHARS));
  private readonly large = Array.from({ length: POOL }, () => randomBytes(LARGE_BODY_BYTES).toString('base64').slice(NUMBER_CHARS));
  private readonly number = Buffer.alloc(NUMBER_BYTES);

  constructor(private readonly mix: BodyMix) {}

  /** The body for message `messageNumber`, which `numberOf` reads back. */
  make(messageNumber: number): Body {
    const large = this.mix === 'large' || (this.mix === 'mix' && messageNumber % MIX_PERIOD === 0);
    this.number.writeUIntBE(messageNumber, 0, NUMBER_BYTES);
    const pool = large ? this.large : this.small;
    return { body: this.number.toString('base64') + pool[messageNumber % POOL]!, ciphertextType: large ? 3 : 2 };
  }

  /** Average ciphertext bytes per message of this mix. */
  averageBytes(): number {
    if (this.mix === 'small') return SMALL_BODY_BYTES;
    if (this.mix === 'large') return LARGE_BODY_BYTES;
    return ((MIX_PERIOD - 1) * SMALL_BODY_BYTES + LARGE_BODY_BYTES) / MIX_PERIOD;
  }
}

export function numberOf(body: string): number {
  return Buffer.from(body.slice(0, NUMBER_CHARS), 'base64').readUIntBE(0, NUMBER_BYTES);
}
