import type { Audience, PreferenceChange } from '../../../src-shared/domain/preferences';

const WIDTH: Record<Audience, number> = { nobody: 0, contacts: 1, everyone: 2 };

/**
 * A4: whether these changes to my settings leave out someone who could see my avatar before —
 * the visibility narrowed, or a contact removed while it is "My contacts" — so the avatar key
 * must be rotated (a block rotates it anyway).
 */
export function narrowsAvatar(before: Audience, after: Audience, changes: readonly PreferenceChange[]): boolean {
  return WIDTH[after] < WIDTH[before] || (after === 'contacts' && changes.some((change) => change.key === 'contact' && !change.value));
}
