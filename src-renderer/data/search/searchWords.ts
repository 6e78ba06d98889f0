/**
 * Turns text into the words local search works with, the same way for a message being stored
 * and for a query, so that what was typed finds what was written:
 * NFKC (full-width and ligature forms become plain ones), lower case, diacritics folded, then
 * words as Intl.Segmenter sees them (which also splits Chinese and Japanese into words).
 */

// Marks are folded only after Latin, Greek and Cyrillic letters, where "é" and "e" are the same
// word to a searching reader. In other scripts marks are letters in their own right (Devanagari
// vowel signs, Japanese dakuten) and folding them would merge different words.
const FOLDABLE_MARKS = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{Mn}+/gu;

// A fixed locale: the words of a message stored today must still be found after the user
// changes the system language.
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

export function normaliseForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(FOLDABLE_MARKS, '$1').normalize('NFC');
}

/** The distinct words of a text, normalised, in order of first appearance. */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  for (const segment of wordSegmenter.segment(normaliseForSearch(text))) {
    if (segment.isWordLike) words.add(segment.segment);
  }
  return [...words];
}
