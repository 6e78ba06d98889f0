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

/** A word's first letter, digit or emoji: "(fae90698)" → "f". */
const firstMark = (word: string) => Array.from(word).find((character) => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(character));

/** One or two letters from a name: "alice_smith" → "AS", "bob" → "B", "Unknown (fae90698)" → "UF". */
export function initialsOf(name: string): string {
  const marks = name
    .split(/[\s_.-]+/u)
    .map(firstMark)
    .filter((mark): mark is string => mark !== undefined);
  return marks.slice(0, 2).join('').toLocaleUpperCase() || '?';
}

type Props = {
  accountId: string;
  name: string;
  size?: 'small' | 'medium' | 'large';
  /** A4: their picture (a WebP square, base64) when they let me see it; initials otherwise. */
  image?: string | null;
};

/** Their picture, or initials on a colour; decorative, since the name is always beside it. */
export function Avatar({ accountId, name, size = 'medium', image }: Props) {
  return (
    <span className={`avatar avatar--${size} avatar--colour-${avatarColourIndex(accountId)}`} aria-hidden="true">
      {image ? <img className="avatar__image" src={`data:image/webp;base64,${image}`} alt="" draggable={false} /> : initialsOf(name)}
    </span>
  );
}
