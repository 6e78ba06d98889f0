/** The keyboard shortcuts the README lists (Playwright key names). */
export const SHORTCUTS = {
  focusSearch: 'Control+K',
  nextChat: 'Alt+ArrowDown',
  previousChat: 'Alt+ArrowUp',
  focusComposer: 'Control+L',
} as const;
