/**
 * Every keyboard shortcut of the app, in one place: the handler matches against this list and
 * Settings shows it, so the two cannot drift apart. On macOS, ⌘ counts as Ctrl.
 */
export type ShortcutAction = 'focusSearch' | 'nextChat' | 'previousChat' | 'focusComposer' | 'openSettings';

export type KeyChord = {
  /** KeyboardEvent.key, compared case-insensitively for letters. */
  key: string;
  ctrl?: boolean;
  alt?: boolean;
  shift?: boolean;
};

export type Shortcut = {
  action: ShortcutAction;
  /** The i18n key of what it does. */
  descriptionKey: string;
  chords: readonly KeyChord[];
};

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'focusSearch', descriptionKey: 'shortcuts.focusSearch', chords: [{ key: 'k', ctrl: true }, { key: 'f', ctrl: true }] },
  {
    action: 'nextChat',
    descriptionKey: 'shortcuts.nextChat',
    chords: [{ key: 'ArrowDown', alt: true }, { key: 'Tab', ctrl: true }],
  },
  {
    action: 'previousChat',
    descriptionKey: 'shortcuts.previousChat',
    chords: [{ key: 'ArrowUp', alt: true }, { key: 'Tab', ctrl: true, shift: true }],
  },
  { action: 'focusComposer', descriptionKey: 'shortcuts.focusComposer', chords: [{ key: 'l', ctrl: true }] },
  { action: 'openSettings', descriptionKey: 'shortcuts.openSettings', chords: [{ key: ',', ctrl: true }] },
];

type KeyEventLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** The action a key press means, or null. Modifiers must match exactly. */
export function shortcutFor(event: KeyEventLike, shortcuts: readonly Shortcut[] = SHORTCUTS): ShortcutAction | null {
  const ctrl = event.ctrlKey || event.metaKey;
  for (const shortcut of shortcuts) {
    for (const chord of shortcut.chords) {
      if (
        sameKey(chord.key, event.key) &&
        Boolean(chord.ctrl) === ctrl &&
        Boolean(chord.alt) === event.altKey &&
        Boolean(chord.shift) === event.shiftKey
      ) {
        return shortcut.action;
      }
    }
  }
  return null;
}

function sameKey(expected: string, actual: string): boolean {
  return expected.length === 1 ? expected.toLowerCase() === actual.toLowerCase() : expected === actual;
}

/** A chord as people write it: "Ctrl+Shift+Tab", "Alt+↓". */
export function describeChord(chord: KeyChord, onMac = false): string {
  const names: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', ',': ',' };
  const parts: string[] = [];
  if (chord.ctrl) parts.push(onMac ? '⌘' : 'Ctrl');
  if (chord.alt) parts.push(onMac ? '⌥' : 'Alt');
  if (chord.shift) parts.push(onMac ? '⇧' : 'Shift');
  parts.push(names[chord.key] ?? (chord.key.length === 1 ? chord.key.toUpperCase() : chord.key));
  return parts.join(onMac ? '' : '+');
}
