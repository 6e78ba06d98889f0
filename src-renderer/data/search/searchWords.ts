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

/**
 * V8's segmenter slows down more than linearly on long strings (5,000 words: 250 ms whole,
 * 15 ms in pieces), so long text is segmented in pieces cut at whitespace, where no word spans.
 */
const SEGMENT_PIECE_LENGTH = 256;

/** Every normalisation form leaves printable ASCII (and tabs and line breaks) as it is, so such text only needs lower case. */
const ASCII_ONLY = /^[ -~\t\n\r]*$/;

export function normaliseForSearch(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(FOLDABLE_MARKS, '$1').normalize('NFC');
}

/** The distinct words of a text, normalised, in order of first appearance; at most `limit` of them. */
export function searchWords(text: string, limit = Infinity): string[] {
  return wordsOfNormalised(normaliseForSearch(text), limit);
}

/** searchWords of a text already through normaliseForSearch. */
export function wordsOfNormalised(normalised: string, limit = Infinity): string[] {
  const words = new Set<string>();
  for (const piece of piecesOf(normalised)) {
    for (const segment of wordSegmenter.segment(piece)) {
      if (!segment.isWordLike) continue;
      words.add(segment.segment);
      if (words.size >= limit) return [...words];
    }
  }
  return [...words];
}

function* piecesOf(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + SEGMENT_PIECE_LENGTH, text.length);
    if (end < text.length) {
      let cut = end;
      while (cut > start && !/\s/.test(text.charAt(cut - 1))) cut -= 1;
      // No whitespace (Chinese, Japanese, one long token): cut anyway, never inside a surrogate pair.
      if (cut > start) end = cut;
      else if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
    }
    yield text.slice(start, end);
    start = end;
  }
}
