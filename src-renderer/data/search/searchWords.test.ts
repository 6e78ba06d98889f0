import { describe, expect, it } from 'vitest';
import { normaliseForSearch, searchWords } from './searchWords';

describe('searchWords', () => {
  it('lower-cases, folds diacritics and compatibility forms', () => {
    expect(searchWords('Crème Brûlée')).toEqual(['creme', 'brulee']);
    expect(searchWords('ÉCOLE école ecole')).toEqual(['ecole']);
    expect(searchWords('ＨＥＬＬＯ')).toEqual(['hello']); // full-width letters
    expect(searchWords('ﬁnal')).toEqual(['final']); // ligature
    expect(searchWords('Ёлка Αθήνα')).toEqual(['елка', 'αθηνα']);
  });

  it('keeps marks that are letters in their own script', () => {
    // Japanese dakuten: が and か are different sounds, so different words.
    expect(normaliseForSearch('が')).not.toBe(normaliseForSearch('か'));
  });

  it('splits on punctuation and keeps only words', () => {
    expect(searchWords("Hello, world! It's 3pm... hello")).toEqual(['hello', 'world', "it's", '3pm']);
    expect(searchWords('   ...!!! ')).toEqual([]);
  });

  it('splits scripts without spaces into words', () => {
    const words = searchWords('我们明天见');
    expect(words.length).toBeGreaterThan(1);
    expect(words.join('')).toBe('我们明天见');
  });
});

describe('searchWords on long text', () => {
  it('finds every word of a long message, cut into pieces at whitespace', () => {
    const words = Array.from({ length: 3_000 }, (_, index) => `w${index}`);
    expect(searchWords(words.join(' \n'))).toEqual(words);
  });

  it('cuts text without whitespace without breaking a character in two', () => {
    // 255 letters put the first cut in the middle of U+20000's surrogate pair; each of these
    // ideographs is a word of its own, so a broken one would be missing from the words.
    const ideographs = Array.from({ length: 300 }, (_, index) => String.fromCodePoint(0x20000 + index));
    const words = searchWords(`${'a'.repeat(255)}${ideographs.join('')}`);
    expect(words).toEqual(['a'.repeat(255), ...ideographs]);
  });

  it('stops at a limit', () => {
    expect(searchWords('one two three four', 2)).toEqual(['one', 'two']);
  });
});
