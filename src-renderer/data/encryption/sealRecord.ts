import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import { SealedRecordError } from '../historyErrors';
import { bytesToBase64, decodePayload, encodePayload } from './payloadCodec';

/** The one stored field that holds a record's private fields, sealed. */
export const SEALED_FIELD = 'sealed';

const FORMAT_VERSION = 1;
const NONCE_BYTES = 24;
const HEADER_BYTES = 1 + NONCE_BYTES;

export type PlainRecord = Record<string, unknown>;

/** One encoder for every seal: noble's utf8ToBytes makes a new one and copies its output each call. */
const utf8 = new TextEncoder();

/**
 * Nonces are taken from a pool of random bytes filled 48 KiB at a time: one getRandomValues call
 * per 2,048 records instead of one per record (a batch of 1,000 seals paid for 1,000 calls). Each
 * nonce is copied out of the pool and the pool is never read twice, so no nonce repeats.
 */
const NONCE_POOL_BYTES = NONCE_BYTES * 2_048;
let noncePool = new Uint8Array(0);
let noncePoolUsed = 0;

function nextNonce(): Uint8Array {
  if (noncePoolUsed + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    noncePoolUsed = 0;
  }
  const nonce = noncePool.slice(noncePoolUsed, noncePoolUsed + NONCE_BYTES);
  noncePool.fill(0, noncePoolUsed, noncePoolUsed + NONCE_BYTES);
  noncePoolUsed += NONCE_BYTES;
  return nonce;
}

/**
 * Splits a record into clear fields (those an index needs) and the rest, sealed with
 * XChaCha20-Poly1305. Random 24-byte nonces are safe at any volume, so no counter is kept.
 *
 * The associated data is the table name and every clear field, primary key included: a sealed
 * payload cannot be moved to another row or table, and a clear field edited on disk (a message
 * moved to another conversation, say) makes the record fail to open. The clear fields are read
 * from the stored row itself, not from the schema, so a later version that indexes one more
 * field can still open the rows written before it.
 */
export function sealRecord(
  key: Uint8Array,
  table: string,
  record: PlainRecord,
  clearFields: ReadonlySet<string>,
): PlainRecord {
  const clear: PlainRecord = {};
  const secret: PlainRecord = {};
  for (const [field, value] of Object.entries(record)) {
    if (field === SEALED_FIELD) throw new TypeError(`"${SEALED_FIELD}" is reserved in ${table} records`);
    if (value === undefined) continue;
    if (clearFields.has(field)) clear[field] = value;
    else secret[field] = value;
  }
  const nonce = nextNonce();
  const body = xchacha20poly1305(key, nonce, associatedData(table, clear)).encrypt(encodePayload(secret));
  const sealed = new Uint8Array(HEADER_BYTES + body.length);
  sealed[0] = FORMAT_VERSION;
  sealed.set(nonce, 1);
  sealed.set(body, HEADER_BYTES);
  return { ...clear, [SEALED_FIELD]: sealed };
}

/** The inverse of sealRecord; throws SealedRecordError rather than ever returning unverified data. */
export function openRecord(key: Uint8Array, table: string, stored: unknown): PlainRecord {
  if (stored === null || typeof stored !== 'object') throw new SealedRecordError(table, 'it is not an object');
  const { [SEALED_FIELD]: sealed, ...clear } = stored as PlainRecord;
  if (!(sealed instanceof Uint8Array) || sealed.length < HEADER_BYTES) {
    throw new SealedRecordError(table, 'it is not sealed');
  }
  if (sealed[0] !== FORMAT_VERSION) throw new SealedRecordError(table, `unknown format ${sealed[0]}`);
  const nonce = sealed.subarray(1, HEADER_BYTES);
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(key, nonce, associatedData(table, clear)).decrypt(sealed.subarray(HEADER_BYTES));
  } catch {
    throw new SealedRecordError(table, 'its seal does not verify (altered, or sealed under another key)');
  }
  return { ...decodePayload(plaintext), ...clear };
}

/**
 * Binary clear fields (a page's term filter) enter as base64: JSON would spell a Uint8Array out
 * as an object of numbered fields. Records written before binary clear fields existed have none,
 * so their associated data is unchanged.
 */
function associatedData(table: string, clear: PlainRecord): Uint8Array {
  const fields = Object.keys(clear)
    .sort()
    .map((field) => {
      const value = clear[field];
      return [field, value instanceof Uint8Array ? { bytes: bytesToBase64(value) } : value];
    });
  return utf8.encode(JSON.stringify(['parley-history', FORMAT_VERSION, table, fields]));
}
