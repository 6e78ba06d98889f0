/** How many colours avatars cycle through (see --avatar-N in the style sheets). */
export const AVATAR_COLOURS = 12;

/** A stable colour per account: the same person has the same colour on every start. */
export function avatarColourIndex(accountId: string): number {
  let hash = 2166136261;
  for (let index = 0; index < accountId.length; index += 1) {
    hash ^= accountId.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % AVATAR_COLOURS;
}

/** One or two letters from a name: "alice_smith" → "AS", "bob" → "B". */
export function initialsOf(name: string): string {
  const words = name.split(/[\s_.-]+/u).filter((word) => word.length > 0);
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? '');
  return letters.join('').toLocaleUpperCase() || '?';
}

/** Initials on a colour; decorative, since the name is always beside it. */
export function Avatar({ accountId, name, size = 'medium' }: { accountId: string; name: string; size?: 'small' | 'medium' | 'large' }) {
  return (
    <span className={`avatar avatar--${size} avatar--colour-${avatarColourIndex(accountId)}`} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
