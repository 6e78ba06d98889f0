/** A piece of a long text around its first match, with the matched parts marked. */
export type SnippetPart = { text: string; match: boolean };

const CONTEXT_BEFORE = 30;
const SNIPPET_LENGTH = 140;

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The words of `query` marked in `text`, on one line, cut to a window around the first one.
 * Matching ignores case and accents, like the search itself (a word matches at its start).
 */
export function snippetOf(text: string, query: string): SnippetPart[] {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const words = fold(query).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
  // Folding can change lengths (a decomposed accent): match per character to keep indices true.
  const characters = Array.from(oneLine);
  const folded = characters.map(fold);
  const marked = new Array<boolean>(characters.length).fill(false);
  let first = -1;
  for (const word of words) {
    for (let start = 0; start < characters.length; start += 1) {
      const atWordStart = start === 0 || !/[\p{L}\p{N}]/u.test(characters[start - 1] ?? '');
      if (!atWordStart) continue;
      let matched = '';
      let end = start;
      while (end < characters.length && matched.length < word.length) matched += folded[end++];
      if (matched.startsWith(word) || matched === word) {
        for (let index = start; index < end; index += 1) marked[index] = true;
        if (first === -1 || start < first) first = start;
      }
    }
  }
  const from = Math.max(0, first - CONTEXT_BEFORE);
  const to = Math.min(characters.length, from + SNIPPET_LENGTH);
  const parts: SnippetPart[] = [];
  for (let index = from; index < to; index += 1) {
    const character = characters[index] ?? '';
    const match = marked[index] ?? false;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += character;
    else parts.push({ text: character, match });
  }
  if (from > 0) parts.unshift({ text: '…', match: false });
  if (to < characters.length) parts.push({ text: '…', match: false });
  return parts;
}
