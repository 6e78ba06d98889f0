import type { ContactRecord } from '../../data';

/**
 * What a person is called in the UI: the name I saved for them (A5, mine only), else their
 * display name, else their username.
 */
export function nameOf(contact: ContactRecord | null | undefined, savedName?: string): string | null {
  return savedName || (contact?.displayName ?? contact?.username ?? null);
}

/** A short stand-in for someone whose username is not known yet. */
export function shortAccountId(accountId: string): string {
  return accountId.slice(0, 8);
}
