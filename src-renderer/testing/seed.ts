import { openHistoryStore, type HistoryStore } from '../data';
import { decodeStorageKey } from '../features/session/openSessionStore';
import { FAKE_STORAGE_KEY, fakeUuid, incomingMessage } from './fakeMain';
import { signedInAs } from './renderApp';

/** A signed-in alice whose inbox holds a few messages from bob and carol, both findable by username. */
export function aliceWithFriends(now = Date.now()) {
  const options = signedInAs('alice');
  const bob = fakeUuid();
  const carol = fakeUuid();
  options.directory = { ...options.directory, bob, carol };
  const inbox = [
    incomingMessage(carol, 'Lunch on Friday?', now - 3 * 60 * 60 * 1000),
    incomingMessage(bob, 'Hi Alice!', now - 2 * 60 * 1000),
    incomingMessage(bob, 'Are you there?', now - 60 * 1000),
  ];
  return { options, account: options.state.account, bob, carol, inbox };
}

/** A second connection to an account's history, to check what the app stored. */
export function openHistoryOf(accountId: string): Promise<HistoryStore> {
  const storageKey = decodeStorageKey(FAKE_STORAGE_KEY);
  if (storageKey === null) throw new Error('bad fake key');
  return openHistoryStore({ accountId, storageKey });
}
