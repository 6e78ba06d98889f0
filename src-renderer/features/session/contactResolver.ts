import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import { getContact, saveContacts, type ContactRecord } from '../../data';
import type { HistoryWriter } from './historyWriter';

export type ContactResolver = {
  /** Looks up the usernames of these accounts if the history has no contact for them yet. */
  resolve(accountIds: Iterable<string>): Promise<void>;
};

/**
 * A message from someone not in my contacts shows their account id until this has asked main
 * for their username (main answers from its cache or the server) and saved them. Each account
 * is asked about once per session, so an unknown one is not asked on every message.
 */
export function createContactResolver({ bridge, writer, now }: { bridge: ParleyBridge; writer: HistoryWriter; now: () => number }): ContactResolver {
  const asked = new Set<string>();
  return {
    async resolve(accountIds) {
      const fresh = [...new Set(accountIds)].filter((accountId) => !asked.has(accountId));
      for (const accountId of fresh) asked.add(accountId);
      if (fresh.length === 0) return;
      const known = await writer.run((store) => Promise.all(fresh.map((accountId) => getContact(store, accountId))));
      // A contact made by their profile (A2) before their username was known is asked about too.
      const unknown = fresh.flatMap((accountId, index) => (known[index] === null || known[index]?.username === '' ? [{ accountId, known: known[index] }] : []));
      const found: ContactRecord[] = [];
      for (const { accountId, known: held } of unknown) {
        const answer = await bridge.contacts.usernameOf({ accountId });
        if (answer.ok && answer.value.username !== null) {
          found.push({ ...held, accountId, username: answer.value.username, displayName: held?.displayName ?? null, addedAt: held?.addedAt ?? now() });
        } else if (!answer.ok) {
          // Worth asking again later (the server may have been unreachable).
          asked.delete(accountId);
        }
      }
      if (found.length > 0) await writer.run((store) => saveContacts(store, found));
    },
  };
}
