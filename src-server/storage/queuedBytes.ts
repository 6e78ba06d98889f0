import { sql } from 'kysely';

/**
 * The ciphertext bytes an envelope body (base64 text, padded or not) takes in its queue: its
 * decoded length, as LIMITS.envelopeBodyMaxBytes counts it. The queue counters must add in
 * JavaScript exactly what they subtract in SQL, so both forms compute the same integer.
 */
export function queuedBytesOf(body: string): number {
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.floor(((body.length - padding) * 3) / 4);
}

/** queuedBytesOf(envelopes.body) in SQL; the same text on SQLite and PostgreSQL (integer division on both). */
export const QUEUED_BYTES_OF_BODY = sql<number>`((length(body) - (case when body like '%==' then 2 when body like '%=' then 1 else 0 end)) * 3 / 4)`;
