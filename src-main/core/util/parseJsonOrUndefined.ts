/** JSON.parse that answers undefined for text that is not JSON (answers from outside are checked by a schema next). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
