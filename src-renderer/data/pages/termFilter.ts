/**
 * A Bloom filter of the search terms (keyed hashes, search/searchTerms.ts) of one page of
 * messages. Search reads a page's filter without opening the page and opens only pages whose
 * filter may hold every query term; the hits are confirmed on the text, so a false positive
 * costs one page opened and never a wrong result. A filter never misses a term it was built with.
 *
 * Why a filter and not an index entry per term: IndexedDB pays for every index entry it writes
 * (about 15 µs each in Chromium on these machines), and a message has a dozen or more terms; a
 * page of a hundred messages has one filter of a kilobyte or two. The filter shows no more than
 * the index entries did (which terms some message of a page shares), and less: not which message.
 *
 * Layout: the size in bits is a power of two, from about BITS_PER_TERM bits per distinct term,
 * between MIN_BITS and MAX_BITS. A term's HASHES bit positions come from its own hash bytes (it is
 * already an HMAC) by double hashing: position_i = (a + i·b) mod size.
 */

const BITS_PER_TERM = 10;
/** About 1 % false positives at 10 bits per term with 7 positions. */
const HASHES = 7;
const MIN_BITS = 256;
/** 16 KiB: a page of messages past ~13,000 distinct terms fills up, and only costs more pages opened. */
const MAX_BITS = 131_072;

/** Builds the filter of a page's terms (duplicates allowed). */
export function buildTermFilter(terms: Iterable<string>): Uint8Array {
  const distinct = terms instanceof Set ? (terms as Set<string>) : new Set(terms);
  let bits = MIN_BITS;
  while (bits < distinct.size * BITS_PER_TERM && bits < MAX_BITS) bits *= 2;
  const filter = new Uint8Array(bits / 8);
  for (const term of distinct) {
    const [a, b] = termHashes(term);
    for (let i = 0; i < HASHES; i += 1) {
      const position = (a + Math.imul(i, b)) & (bits - 1);
      filter[position >>> 3]! |= 1 << (position & 7);
    }
  }
  return filter;
}

/** False only if the term was certainly not among the filter's terms. */
export function filterMayContain(filter: Uint8Array, term: string): boolean {
  const bits = filter.length * 8;
  // A filter that is not a power of two in size was not built here: let search open the page.
  if (bits < MIN_BITS || (bits & (bits - 1)) !== 0) return true;
  const [a, b] = termHashes(term);
  for (let i = 0; i < HASHES; i += 1) {
    const position = (a + Math.imul(i, b)) & (bits - 1);
    if ((filter[position >>> 3]! & (1 << (position & 7))) === 0) return false;
  }
  return true;
}

/**
 * Two 32-bit numbers from a term. Terms are base64url of keyed hashes, so their characters are
 * already uniform; FNV-1a over the characters spreads terms of any other shape too.
 */
function termHashes(term: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let index = 0; index < term.length; index += 1) {
    const code = term.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  // An odd step visits every position of a power-of-two filter.
  return [a >>> 0, (b | 1) >>> 0];
}
