/** Elements shortcuts move focus to, by id (each exists at most once). */
export const FOCUS_TARGETS = {
  search: 'search-input',
  composer: 'composer-input',
} as const;

export function focusTarget(target: keyof typeof FOCUS_TARGETS): boolean {
  const element = document.getElementById(FOCUS_TARGETS[target]);
  if (!(element instanceof HTMLElement)) return false;
  element.focus();
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    const end = element.value.length;
    element.setSelectionRange(end, end);
  }
  return true;
}
