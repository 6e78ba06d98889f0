import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { normaliseForSearch, searchWords, wordsOfNormalised } from './searchWords';

/** Prefixes shorter than this would match too much to be useful ("he" is in everything). */
export const MIN_PREFIX_LENGTH = 3;
/** Longer words are indexed by their prefixes up to this length; results are confirmed on the text. */
export const MAX_PREFIX_LENGTH = 8;
/**
 * The prefix lengths indexed, shortest first (MIN_PREFIX_LENGTH … MAX_PREFIX_LENGTH). A query
 * word is looked up by its longest prefix of one of these lengths, which every word it can match
 * also has, so this finds the same messages as indexing every length; hits are confirmed on the
 * text either way (textMatchesWords). Leaving out 6 and 7 takes a seven-letter word from five
 * index entries to three (about a quarter fewer per message), and each entry is a key IndexedDB
 * writes. Histories indexed with every length hold these lengths too, so they need no upgrade.
 */
const INDEXED_PREFIX_LENGTHS: readonly number[] = [MIN_PREFIX_LENGTH, 4, 5, MAX_PREFIX_LENGTH];
/**
 * Terms one message may add to the index. A hostile sender's 64 KiB of distinct words would
 * otherwise put hundreds of thousands of entries into the index for one message.
 */
export const MAX_TERMS_PER_MESSAGE = 4_096;
/** Words one message's terms are taken from (then the terms are capped at MAX_TERMS_PER_MESSAGE). */
const MAX_WORDS_PER_MESSAGE = 4 * MAX_TERMS_PER_MESSAGE;
/** 72 bits of HMAC: collisions are negligible, and a false hit is caught by the text check anyway. */
const TERM_BYTES = 9;
/** Hashes kept in memory, so a common word is hashed once per session, not once per message. */
const CACHE_LIMIT = 50_000;

export type SearchTermHasher = {
  /** The keyed hashes to store with a message: each word's prefixes of the indexed lengths (a short word: itself). */
  termsForText(text: string): string[];
  /** The hashes a query must all match, one per query word, and the words to confirm hits with. */
  termsForQuery(query: string): { terms: string[]; words: string[] };
};

/**
 * Search terms are HMAC-SHA256 of normalised words under a key derived from the storage key,
 * so the index holds no plaintext word, and a stolen profile cannot be searched for a word
 * without the key. Equal words give equal hashes: the index shows which messages share a word,
 * never which word it is.
 */
export function createSearchTermHasher(searchKey: Uint8Array): SearchTermHasher {
  // Keyed once; each term clones the keyed state instead of redoing the key schedule.
  const keyed = hmac.create(sha256, searchKey);
  const cache = new Map<string, string>();

  const hashTerm = (term: string): string => {
    const cached = cache.get(term);
    if (cached !== undefined) return cached;
    const digest = keyed.clone().update(utf8ToBytes(term)).digest().subarray(0, TERM_BYTES);
    const hashed = toBase64Url(digest);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(term, hashed);
    return hashed;
  };

  return {
    termsForText(text) {
      const terms = new Set<string>();
      // Words share prefixes, so the terms cap is reached after more words than terms; the words
      // read are still bounded, for text made of nothing but distinct words.
      for (const word of searchWords(text, MAX_WORDS_PER_MESSAGE)) {
        const characters = Array.from(word);
        if (characters.length < MIN_PREFIX_LENGTH) terms.add(hashTerm(word));
        for (const length of INDEXED_PREFIX_LENGTHS) {
          if (length > characters.length) break;
          terms.add(hashTerm(characters.length === length ? word : characters.slice(0, length).join('')));
        }
        if (terms.size >= MAX_TERMS_PER_MESSAGE) break;
      }
      return [...terms].slice(0, MAX_TERMS_PER_MESSAGE);
    },
    termsForQuery(query) {
      const words = searchWords(query);
      const terms = new Set<string>();
      for (const word of words) {
        const characters = Array.from(word);
        // Looked up by its longest indexed prefix (a short word: by itself).
        const length = lookupLength(characters.length);
        terms.add(hashTerm(length === characters.length ? word : characters.slice(0, length).join('')));
      }
      return { terms: [...terms], words };
    },
  };
}

/** How many of a query word's characters its lookup term hashes: all of a short word, else its longest indexed prefix. */
function lookupLength(characters: number): number {
  let length = characters;
  for (const indexed of INDEXED_PREFIX_LENGTHS) if (indexed <= characters) length = indexed;
  return length;
}

/**
 * Whether a text has every query word, whole or (from 3 characters) as the start of a word.
 * Every word is a piece of the normalised text, so a text without each query word as a substring
 * is refused before the word segmenter, which costs most of a search's confirming, runs at all.
 */
export function textMatchesWords(text: string, queryWords: readonly string[]): boolean {
  const normalised = normaliseForSearch(text);
  if (!queryWords.every((query) => normalised.includes(query))) return false;
  const words = wordsOfNormalised(normalised);
  return queryWords.every((query) =>
    words.some((word) => word === query || (Array.from(query).length >= MIN_PREFIX_LENGTH && word.startsWith(query))),
  );
}

/** base64url without padding: how a term's keyed hash is written. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
