import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import { ensureChat } from '../ensureChat';
import type { HistoryStore } from '../historyStore';
import { saveContacts } from '../saveContacts';
import { saveDraft } from '../saveDraft';
import { deleteSetting, readSetting, writeSetting } from '../settingsCache';
import { BOB, CAROL, messageItem, openTestStore, rawText, readRawTables, uniqueDatabaseName } from '../testing/historyTesting';
import { countAllUnread, getChat, listChats } from './chatList';
import { findContactByUsername, getContact, listContacts } from './contacts';

const T = 1_700_000_000_000;
const DAVE = '00000000-0000-4000-8000-00000000da7e';

describe('chat list', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  it('orders chats by last activity, each with its contact', async () => {
    store = await openTestStore();
    await saveContacts(store, [{ accountId: BOB, username: 'bob', displayName: null, addedAt: T }]);
    await applyInboxBatch(store, [messageItem(BOB, 'b1', 'old', T), messageItem(CAROL, 'c1', 'new', T + 10)]);
    expect((await listChats(store)).map((chat) => chat.conversationId)).toEqual([CAROL, BOB]);
    await applyInboxBatch(store, [messageItem(BOB, 'b2', 'newer', T + 20)]);
    const chats = await listChats(store);
    expect(chats.map((chat) => chat.conversationId)).toEqual([BOB, CAROL]);
    expect(chats[0]?.contact?.username).toBe('bob');
    expect(chats[1]?.contact).toBeNull();
    expect(await countAllUnread(store)).toBe(3);
  });

  it('keeps the newest message as the preview when older ones arrive later', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, [messageItem(BOB, 'late', 'the newest', T + 100)]);
    await applyInboxBatch(store, [messageItem(BOB, 'early', 'an older one', T)]);
    expect((await getChat(store, BOB))?.lastMessage).toMatchObject({ messageId: 'late', preview: 'the newest' });
  });

  it('does not let a sender pin a chat to the top with a date in the future', async () => {
    store = await openTestStore();
    const future = messageItem(BOB, 'b1', 'from the future', T + 365 * 24 * 3_600_000);
    if (future.kind === 'message') future.message.serverReceivedAt = T;
    await applyInboxBatch(store, [future, messageItem(CAROL, 'c1', 'honest', T + 1_000)]);
    expect((await listChats(store)).map((chat) => chat.conversationId)).toEqual([CAROL, BOB]);
  });

  it('shows a chat started before its first message, and keeps its draft', async () => {
    store = await openTestStore();
    await ensureChat(store, DAVE);
    await ensureChat(store, DAVE);
    await saveDraft(store, DAVE, 'Dear Dave,');
    expect(await listChats(store)).toEqual([
      { conversationId: DAVE, lastActivityAt: T, unreadCount: 0, lastMessage: null, draft: 'Dear Dave,', contact: null },
    ]);
    await applyInboxBatch(store, [messageItem(DAVE, 'd1', 'hi', T + 5)]);
    expect((await getChat(store, DAVE))?.draft).toBe('Dear Dave,');
    await saveDraft(store, DAVE, '');
    expect((await getChat(store, DAVE))?.draft).toBe('');
  });

  it('a preview is one line and bounded', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, [messageItem(BOB, 'b1', `line one\n\nline two ${'x'.repeat(500)}`, T)]);
    const preview = (await getChat(store, BOB))?.lastMessage?.preview ?? '';
    expect(preview.startsWith('line one line two x')).toBe(true);
    expect(Array.from(preview)).toHaveLength(121);
  });
});

describe('contacts and settings', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  it('finds contacts by id and by @username, sealed on disk', async () => {
    const name = uniqueDatabaseName('contacts');
    store = await openTestStore({ name });
    await saveContacts(store, [
      { accountId: CAROL, username: 'carol_k', displayName: 'Carol Kowalski', addedAt: T },
      { accountId: BOB, username: 'bobby', displayName: null, addedAt: T },
    ]);
    expect((await listContacts(store)).map((contact) => contact.username)).toEqual(['bobby', 'carol_k']);
    expect((await getContact(store, CAROL))?.displayName).toBe('Carol Kowalski');
    expect((await findContactByUsername(store, '@Carol_K'))?.accountId).toBe(CAROL);
    expect(await findContactByUsername(store, 'nobody')).toBeNull();
    expect(await findContactByUsername(store, '!!')).toBeNull();
    // A setting's name is its key, one of the app's own constants, so in clear; its value is sealed.
    await writeSetting(store, 'theme', 'midnight-blue');
    store.close();
    const text = rawText(await readRawTables(name));
    for (const secret of ['carol_k', 'bobby', 'Kowalski', 'midnight']) expect(text.includes(secret), secret).toBe(false);
  });

  it('caches settings of any JSON shape, bytes included', async () => {
    store = await openTestStore();
    expect(await readSetting(store, 'theme')).toBeUndefined();
    await writeSetting(store, 'theme', 'dark');
    await writeSetting(store, 'window', { width: 1200, height: 800, maximised: false, tags: ['a', null] });
    await writeSetting(store, 'blob', new Uint8Array([0, 255, 7]));
    expect(await readSetting(store, 'theme')).toBe('dark');
    expect(await readSetting(store, 'window')).toEqual({ width: 1200, height: 800, maximised: false, tags: ['a', null] });
    expect(await readSetting(store, 'blob')).toEqual(new Uint8Array([0, 255, 7]));
    await deleteSetting(store, 'theme');
    expect(await readSetting(store, 'theme')).toBeUndefined();
  });
});
