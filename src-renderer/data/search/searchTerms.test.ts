import { describe, expect, it } from 'vitest';
import { MAX_TERMS_PER_MESSAGE, createSearchTermHasher, textMatchesWords } from './searchTerms';

const key = (seed: number) => new Uint8Array(32).fill(seed);

describe('search terms', () => {
  it('hashes each word and its prefixes from three characters', () => {
    const hasher = createSearchTermHasher(key(1));
    const terms = hasher.termsForText('hello');
    // hello, hel, hell
    expect(terms).toHaveLength(3);
    for (const query of ['hel', 'hell', 'hello', 'HELLO', 'Héllo']) {
      expect(terms).toContain(hasher.termsForQuery(query).terms[0]);
    }
    expect(terms).not.toContain(hasher.termsForQuery('he').terms[0]);
    expect(terms).not.toContain(hasher.termsForQuery('ello').terms[0]);
  });

  it('holds no plaintext: fixed-length hashes that depend on the key', () => {
    const terms = createSearchTermHasher(key(1)).termsForText('lighthouse keeper');
    for (const term of terms) expect(term).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(terms.join(' ')).not.toMatch(/lig|kee/);
    const otherKey = createSearchTermHasher(key(2)).termsForText('lighthouse keeper');
    expect(otherKey.filter((term) => terms.includes(term))).toEqual([]);
  });

  it('finds long words by their first characters', () => {
    const hasher = createSearchTermHasher(key(1));
    const terms = hasher.termsForText('internationalisation');
    expect(terms).toContain(hasher.termsForQuery('internationalis').terms[0]);
    expect(textMatchesWords('internationalisation', ['internationalis'])).toBe(true);
    expect(textMatchesWords('internationalism', ['internationalis', 'ation'])).toBe(false);
  });

  it('bounds the terms one message can add', () => {
    // Distinct in their first eight characters, so each word adds a term of its own.
    const words = Array.from({ length: 5_000 }, (_, index) => `word${index.toString(36)}xyz`).join(' ');
    expect(createSearchTermHasher(key(1)).termsForText(words)).toHaveLength(MAX_TERMS_PER_MESSAGE);
  });

  it('asks for every word of a query', () => {
    const { terms, words } = createSearchTermHasher(key(1)).termsForQuery('  Lighthouse, keeper! ');
    expect(words).toEqual(['lighthouse', 'keeper']);
    expect(terms).toHaveLength(2);
    expect(createSearchTermHasher(key(1)).termsForQuery(' ,.! ').terms).toEqual([]);
  });
});
