import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTermFilter, filterMayContain } from './termFilter';
import { seededRandom } from '../../testing/seededRandom';
import { toBase64Url } from '../search/searchTerms';

/** The module's constants, restated: what the tests hold it to. */
const BITS_PER_TERM = 10;
const MIN_BYTES = 256 / 8;
const MAX_BYTES = 131_072 / 8;

/** A term as search/searchTerms.ts makes them: base64url of a keyed hash (here 9 bytes, 12 characters). */
function realisticTerm(random: () => number): string {
  return toBase64Url(Uint8Array.from({ length: 9 }, () => Math.floor(random() * 256)));
}

function distinctTerms(random: () => number, count: number, exclude: ReadonlySet<string> = new Set()): string[] {
  const terms = new Set<string>();
  while (terms.size < count) {
    const term = realisticTerm(random);
    if (!exclude.has(term)) terms.add(term);
  }
  return [...terms];
}

function falsePositiveRate(filter: Uint8Array, absent: readonly string[]): number {
  return absent.filter((term) => filterMayContain(filter, term)).length / absent.length;
}

const isPowerOfTwo = (value: number) => value > 0 && (value & (value - 1)) === 0;

const realisticTermArbitrary = fc.uint8Array({ minLength: 9, maxLength: 9 }).map(toBase64Url);
const anyTermArbitrary = fc.oneof(realisticTermArbitrary, fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

describe('buildTermFilter / filterMayContain', () => {
  it('never misses a term it was built with (realistic terms)', () => {
    fc.assert(
      fc.property(fc.array(realisticTermArbitrary, { maxLength: 400 }), (terms) => {
        const filter = buildTermFilter(terms);
        for (const term of terms) expect(filterMayContain(filter, term)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never misses a term it was built with (arbitrary strings, empty included, duplicates included)', () => {
    fc.assert(
      fc.property(fc.array(anyTermArbitrary, { maxLength: 200 }), fc.array(fc.nat(), { maxLength: 50 }), (terms, repeats) => {
        const withDuplicates = [...terms, ...repeats.flatMap((index) => (terms.length > 0 ? [terms[index % terms.length]!] : []))];
        const filter = buildTermFilter(withDuplicates);
        for (const term of withDuplicates) expect(filterMayContain(filter, term)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never misses a term when built from a Set or from a generator', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyTermArbitrary, { maxLength: 300 }), (terms) => {
        const fromSet = buildTermFilter(new Set(terms));
        const fromGenerator = buildTermFilter((function* () { yield* terms; })());
        expect(fromGenerator).toEqual(fromSet);
        for (const term of terms) expect(filterMayContain(fromSet, term)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('never misses a term of a filter past its largest size (13,107+ distinct terms fill it up)', () => {
    const random = seededRandom(7);
    const terms = distinctTerms(random, 20_000);
    const filter = buildTermFilter(terms);
    expect(filter.length).toBe(MAX_BYTES);
    for (const term of terms) expect(filterMayContain(filter, term)).toBe(true);
  });

  // Sizes where the bits per term are exactly 10 (10·n is just under a power of two), so the
  // rounding up to a power of two gives no slack. A Bloom filter of 10 bits per term with 7
  // positions has about 0.82 % false positives in theory; 3 % leaves room for the hash.
  it.each([
    { seed: 1, terms: 1_638 },
    { seed: 2, terms: 3_276 },
    { seed: 3, terms: 13_107 },
    { seed: 4, terms: 409 },
  ])('has at most ~3 % false positives at 10 bits per term ($terms terms, seed $seed)', ({ seed, terms: count }) => {
    const random = seededRandom(seed);
    const terms = distinctTerms(random, count);
    const filter = buildTermFilter(terms);
    expect(filter.length * 8).toBeLessThan((count + 1) * BITS_PER_TERM);
    const absent = distinctTerms(random, 5_000, new Set(terms));
    expect(falsePositiveRate(filter, absent)).toBeLessThanOrEqual(0.03);
  });

  it('has few false positives for terms of other shapes too (words, numbers)', () => {
    const terms = Array.from({ length: 1_638 }, (_, index) => `word${index}`);
    const filter = buildTermFilter(terms);
    const absent = Array.from({ length: 5_000 }, (_, index) => `other${index}`);
    expect(falsePositiveRate(filter, absent)).toBeLessThanOrEqual(0.03);
  });

  it('an empty filter (no terms) holds nothing', () => {
    const filter = buildTermFilter([]);
    expect(filter.length).toBe(MIN_BYTES);
    const random = seededRandom(11);
    for (const term of distinctTerms(random, 200)) expect(filterMayContain(filter, term)).toBe(false);
    expect(filterMayContain(filter, '')).toBe(false);
  });

  it.each([
    { count: 0, expected: 32 },
    { count: 1, expected: 32 },
    { count: 25, expected: 32 },
    { count: 26, expected: 64 },
    { count: 51, expected: 64 },
    { count: 52, expected: 128 },
    { count: 1_638, expected: 2_048 },
    { count: 1_639, expected: 4_096 },
    { count: 13_107, expected: MAX_BYTES },
    { count: 13_108, expected: MAX_BYTES },
    { count: 30_000, expected: MAX_BYTES },
  ])('sizes a filter of $count distinct terms at $expected bytes', ({ count, expected }) => {
    const random = seededRandom(count + 100);
    expect(buildTermFilter(distinctTerms(random, count)).length).toBe(expected);
  });

  it('is a power of two in size, within bounds, at least 10 bits per term below the cap, and grows with the distinct terms', () => {
    const random = seededRandom(5);
    const pool = distinctTerms(random, 14_000);
    fc.assert(
      fc.property(fc.nat({ max: 14_000 }), fc.nat({ max: 14_000 }), (x, y) => {
        const [small, large] = x <= y ? [x, y] : [y, x];
        const a = buildTermFilter(pool.slice(0, small));
        const b = buildTermFilter(pool.slice(0, large));
        for (const [filter, count] of [[a, small], [b, large]] as const) {
          expect(isPowerOfTwo(filter.length)).toBe(true);
          expect(filter.length).toBeGreaterThanOrEqual(MIN_BYTES);
          expect(filter.length).toBeLessThanOrEqual(MAX_BYTES);
          expect(filter.length * 8).toBeGreaterThanOrEqual(Math.min(count * BITS_PER_TERM, MAX_BYTES * 8));
          // The smallest such power of two: never twice as large as needed.
          if (filter.length > MIN_BYTES) expect(filter.length * 4).toBeLessThan(count * BITS_PER_TERM);
        }
        expect(a.length).toBeLessThanOrEqual(b.length);
      }),
      { numRuns: 60 },
    );
  });

  it('does not grow, nor change at all, with duplicate terms or another order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(realisticTermArbitrary, { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 10 }), (terms, copies) => {
        const once = buildTermFilter(terms);
        const repeated = buildTermFilter(Array.from({ length: copies }, () => terms).flat());
        const reversed = buildTermFilter([...terms].reverse());
        expect(repeated).toEqual(once);
        expect(reversed).toEqual(once);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    { label: 'empty', filter: new Uint8Array(0) },
    { label: 'one byte', filter: new Uint8Array(1) },
    { label: 'odd size (33 bytes)', filter: new Uint8Array(33) },
    { label: 'not a power of two (48 bytes)', filter: new Uint8Array(48) },
    { label: 'not a power of two (1,000 bytes)', filter: new Uint8Array(1_000) },
    { label: 'a power of two below the least size (16 bytes)', filter: new Uint8Array(16) },
  ])('treats a filter it could not have built ($label) as "may contain"', ({ filter }) => {
    const random = seededRandom(filter.length + 1);
    for (const term of [...distinctTerms(random, 50), '', 'plain']) expect(filterMayContain(filter, term)).toBe(true);
  });

  it('reads an all-zero filter of a size it builds as holding nothing, whatever the size', () => {
    for (let bytes = MIN_BYTES; bytes <= MAX_BYTES; bytes *= 2) {
      expect(filterMayContain(new Uint8Array(bytes), 'term')).toBe(false);
    }
  });
});
