import type { ContactRecord } from '../../data';

/** What a person is called in the UI: their display name, else their username. */
export function nameOf(contact: ContactRecord | null | undefined): string | null {
  return contact?.displayName ?? contact?.username ?? null;
}

/** A short stand-in for someone whose username is not known yet. */
export function shortAccountId(accountId: string): string {
  return accountId.slice(0, 8);
}
