import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboxItem } from '../../src-shared/domain/messages';
import { applyInboxBatch } from './applyInboxBatch';
import { dismissIdentityChange } from './identityChanges';
import type { HistoryStore } from './historyStore';
import { listChats } from './queries/chatList';
import { countUnread, getMessage, listMessagesPage } from './queries/conversationMessages';
import { recordOutgoing } from './recordOutgoing';
import {
  ALICE,
  BOB,
  CAROL,
  messageItem,
  openTestStore,
  rawText,
  readRawTables,
  receiptItem,
  uniqueDatabaseName,
} from './testing/historyTesting';

const T = 1_700_000_000_000;

/** Alice's own message to `to`, as the core hands it over after sending from another device. */
const mine = (to: string, messageId: string, text: string, sentAt: number) => messageItem(ALICE, messageId, text, sentAt, to);

describe('applyInboxBatch', () => {
  let store: HistoryStore | undefined;
  afterEach(() => {
    store?.close();
    vi.restoreAllMocks();
  });

  it('stores messages and brings the chat row up to date', async () => {
    store = await openTestStore();
    const result = await applyInboxBatch(store, [
      messageItem(BOB, 'b1', 'first from bob', T),
      messageItem(BOB, 'b2', 'second from bob', T + 1_000),
      mine(BOB, 'a1', 'my reply', T + 2_000),
      messageItem(CAROL, 'c1', 'hi from carol', T + 500),
    ]);
    expect(result).toMatchObject({ added: 4, duplicates: 0, refused: 0 });
    expect(result.confirmedInboxIds).toHaveLength(4);
    const [bob, carol] = await listChats(store);
    expect(bob).toMatchObject({ conversationId: BOB, unreadCount: 2, lastActivityAt: T + 2_000 });
    expect(bob?.lastMessage).toMatchObject({ messageId: 'a1', preview: 'my reply', direction: 'out', status: 'sent' });
    expect(carol).toMatchObject({ conversationId: CAROL, unreadCount: 1 });
    const page = await listMessagesPage(store, { conversationId: BOB, limit: 10 });
    expect(page.messages.map((message) => message.text)).toEqual(['first from bob', 'second from bob', 'my reply']);
    expect(page.messages[0]).toMatchObject({ direction: 'in', status: null, serverReceivedAt: T + 50 });
    expect(await countUnread(store, BOB)).toBe(2);
    expect(await countUnread(store, CAROL)).toBe(1);
  });

  it('stores messages restored from the archive as read, beside unread ones that came live', async () => {
    store = await openTestStore();
    const restored = (item: InboxItem): InboxItem => (item.kind === 'message' ? { ...item, message: { ...item.message, read: true } } : item);
    await applyInboxBatch(store, [
      restored(messageItem(BOB, 'b1', 'read on the desk', T)),
      restored(mine(BOB, 'a1', 'my reply from the desk', T + 1_000)),
      messageItem(BOB, 'b2', 'new since the link', T + 2_000),
    ]);
    const [bob] = await listChats(store);
    expect(bob).toMatchObject({ conversationId: BOB, unreadCount: 1 });
    expect(await countUnread(store, BOB)).toBe(1);
    const page = await listMessagesPage(store, { conversationId: BOB, limit: 10 });
    expect(page.messages.map((message) => message.text)).toEqual(['read on the desk', 'my reply from the desk', 'new since the link']);
  });

  it('marks read what I read on another device, in the same batch or a later one, and nothing of another conversation', async () => {
    store = await openTestStore();
    const readOn = (conversationId: string, messageIds: string[]): InboxItem => ({
      inboxId: `read-${messageIds.join(',')}`,
      kind: 'read',
      read: { conversationId, messageIds },
    });
    await applyInboxBatch(store, [
      messageItem(BOB, 'b1', 'one', T),
      messageItem(BOB, 'b2', 'two', T + 1_000),
      messageItem(BOB, 'b3', 'three', T + 2_000),
      messageItem(CAROL, 'c1', 'carol', T + 500),
      readOn(BOB, ['b1']),
    ]);
    expect(await countUnread(store, BOB)).toBe(2);
    // Carol's message named in bob's conversation is not bob's: it stays unread.
    const later = await applyInboxBatch(store, [readOn(BOB, ['b2', 'c1', 'not-stored'])]);
    expect(later).toMatchObject({ readElsewhere: 1, refused: 0, confirmedInboxIds: ['read-b2,c1,not-stored'] });
    expect(await countUnread(store, BOB)).toBe(1);
    expect(await countUnread(store, CAROL)).toBe(1);
    const chats = await listChats(store);
    expect(chats.map((chat) => [chat.conversationId, chat.unreadCount])).toEqual([
      [BOB, 1],
      [CAROL, 1],
    ]);
    // Applying it again changes nothing.
    expect(await applyInboxBatch(store, [readOn(BOB, ['b2'])])).toMatchObject({ readElsewhere: 0 });
  });

  it('keeps a secret chat apart from every other conversation, whatever chat id the peer chose', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, [messageItem(BOB, 'b1', 'ordinary', T)]);
    // A peer (carol) names her secret chat after bob's account id, then deletes it.
    const secretChat = { chatId: BOB, peerAccountId: CAROL, peerDeviceId: 1, startedAt: T };
    await applyInboxBatch(store, [
      { inboxId: 'secret-started', kind: 'secret_chat', secretChat, change: 'started' },
      { inboxId: 'secret-deleted', kind: 'secret_chat', secretChat, change: 'deleted' },
    ]);
    const chats = await listChats(store);
    expect(chats.map((chat) => [chat.conversationId, chat.secret])).toEqual([[BOB, undefined]]);
    const page = await listMessagesPage(store, { conversationId: BOB, limit: 10 });
    expect(page.messages.map((message) => message.text)).toEqual(['ordinary']);
  });

  it('notes a contact’s new safety number in their chat, until dismissed, and makes no chat for it', async () => {
    store = await openTestStore();
    const changed = (accountId: string, changedAt: number): InboxItem => ({ inboxId: `identity:${accountId}:${changedAt}`, kind: 'identity_changed', identityChange: { accountId, changedAt } });
    await applyInboxBatch(store, [messageItem(BOB, 'b1', 'before', T)]);
    const result = await applyInboxBatch(store, [changed(BOB, T + 5), changed(CAROL, T + 5), messageItem(BOB, 'b2', 'after', T + 10)]);
    expect(result).toMatchObject({ added: 1, refused: 0 });
    expect((await listChats(store)).map((chat) => [chat.conversationId, chat.identityChangedAt])).toEqual([[BOB, T + 5]]);
    // An older notice arriving late does not move it back; dismissing clears it.
    await applyInboxBatch(store, [changed(BOB, T + 1)]);
    expect((await listChats(store))[0]!.identityChangedAt).toBe(T + 5);
    await dismissIdentityChange(store, BOB);
    expect((await listChats(store))[0]!.identityChangedAt).toBeUndefined();
  });

  it('changes nothing when the same batch is applied again', async () => {
    const name = uniqueDatabaseName('idempotent');
    store = await openTestStore({ name });
    await recordOutgoing(store, { messageId: 'a0', conversationId: BOB, senderDeviceId: 1, text: 'earlier', sentAt: T - 10 });
    const batch: InboxItem[] = [
      messageItem(BOB, 'b1', 'hello alice', T),
      mine(BOB, 'a1', 'hello bob', T + 1),
      receiptItem(BOB, 'delivered', ['a0', 'a1']),
      receiptItem(BOB, 'read', ['a0']),
    ];
    const first = await applyInboxBatch(store, batch);
    expect(first).toMatchObject({ added: 2, duplicates: 0, statusChanges: 3 });
    store.close();
    const before = await readRawTables(name);

    store = await openTestStore({ name });
    const second = await applyInboxBatch(store, batch);
    expect(second).toMatchObject({ added: 0, duplicates: 2, statusChanges: 0 });
    store.close();
    // Byte for byte: not even re-sealed, because nothing was written.
    expect(await readRawTables(name)).toEqual(before);
    store = await openTestStore({ name });
    expect((await listChats(store))[0]?.unreadCount).toBe(1);
  });

  it('uses one IndexedDB transaction for a whole batch', async () => {
    // Dexie binds IDBDatabase.transaction when it opens, so the spy goes in first.
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    store = await openTestStore();
    const batch = Array.from({ length: 500 }, (_, index) =>
      index % 10 === 9 ? receiptItem(BOB, 'read', [`a${index}`]) : messageItem(BOB, `b${index}`, `message ${index}`, T + index),
    );
    transaction.mockClear();
    await applyInboxBatch(store, batch);
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(transaction.mock.calls[0]?.[1]).toBe('readwrite');
  });

  it('keeps two senders’ messages apart even when they choose the same id', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, [messageItem(BOB, 'same-id', 'from bob', T), messageItem(CAROL, 'same-id', 'from carol', T)]);
    expect((await getMessage(store, BOB, 'same-id'))?.text).toBe('from bob');
    expect((await getMessage(store, CAROL, 'same-id'))?.text).toBe('from carol');
  });

  it('refuses items whose direction contradicts their sender', async () => {
    store = await openTestStore();
    const posing = messageItem(BOB, 'x', 'pretends to be mine', T);
    if (posing.kind === 'message') posing.message.direction = 'out';
    const result = await applyInboxBatch(store, [posing]);
    expect(result).toMatchObject({ added: 0, refused: 1, confirmedInboxIds: [posing.inboxId] });
    expect(await getMessage(store, BOB, 'x')).toBeNull();
  });

  describe('duplicates', () => {
    const fromBob = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => messageItem(BOB, `b${from + index}`, `bob says ${from + index}`, T + (from + index) * 1_000));

    it('looks no key up for messages sent after everything stored in their conversation', async () => {
      store = await openTestStore();
      await applyInboxBatch(store, fromBob(0, 300));
      const lookups = vi.spyOn(IDBIndex.prototype, 'getKey');
      const result = await applyInboxBatch(store, [...fromBob(300, 200), messageItem(CAROL, 'c1', 'carol, new here', T)]);
      expect(result).toMatchObject({ added: 201, duplicates: 0 });
      expect(lookups).not.toHaveBeenCalled();
      const page = await listMessagesPage(store, { conversationId: BOB, limit: 1_000 });
      expect(page.messages.map((message) => message.messageId)).toEqual(Array.from({ length: 500 }, (_, index) => `b${index}`));
    });

    it('still finds copies at or before the newest, and places a back-dated message among them', async () => {
      store = await openTestStore();
      await applyInboxBatch(store, fromBob(0, 300));
      const lookups = vi.spyOn(IDBIndex.prototype, 'getKey');
      const backDated = messageItem(BOB, 'late', 'bob, back-dated', T + 150_500);
      // b10 is long before the newest, b299 is the newest itself (its sentAt, its position).
      const result = await applyInboxBatch(store, [...fromBob(10, 1), ...fromBob(299, 1), backDated, ...fromBob(300, 5)]);
      expect(result).toMatchObject({ added: 6, duplicates: 2 });
      expect(lookups).toHaveBeenCalledTimes(3);
      const ids = (await listMessagesPage(store, { conversationId: BOB, limit: 1_000 })).messages.map((message) => message.messageId);
      expect(ids).toHaveLength(306);
      expect(ids.slice(149, 153)).toEqual(['b149', 'b150', 'late', 'b151']);
      expect(await countUnread(store, BOB)).toBe(306);
    });

    it('catches a copy later in the same batch of a message new to the store', async () => {
      store = await openTestStore();
      await applyInboxBatch(store, fromBob(0, 3));
      const result = await applyInboxBatch(store, [...fromBob(3, 1), ...fromBob(3, 1), ...fromBob(4, 1)]);
      expect(result).toMatchObject({ added: 2, duplicates: 1 });
      expect((await listMessagesPage(store, { conversationId: BOB, limit: 10 })).messages).toHaveLength(5);
    });

    it('turns my pending message sent when the core reports it after newer messages, or as the newest', async () => {
      store = await openTestStore();
      await recordOutgoing(store, { messageId: 'a1', conversationId: BOB, senderDeviceId: 1, text: 'first of mine', sentAt: T });
      await applyInboxBatch(store, fromBob(1, 3));
      await recordOutgoing(store, { messageId: 'a2', conversationId: BOB, senderDeviceId: 1, text: 'newest of mine', sentAt: T + 10_000 });
      const result = await applyInboxBatch(store, [mine(BOB, 'a1', 'first of mine', T), mine(BOB, 'a2', 'newest of mine', T + 10_000), ...fromBob(11, 1)]);
      expect(result).toMatchObject({ added: 1, duplicates: 2 });
      expect((await getMessage(store, ALICE, 'a1'))?.status).toBe('sent');
      expect((await getMessage(store, ALICE, 'a2'))?.status).toBe('sent');
      expect((await listMessagesPage(store, { conversationId: BOB, limit: 10 })).messages).toHaveLength(6);
    });
  });

  describe('receipts', () => {
    it('apply only to my messages in the conversation with the account that sent them', async () => {
      store = await openTestStore();
      await applyInboxBatch(store, [
        mine(BOB, 'to-bob', 'for bob', T),
        mine(CAROL, 'to-carol', 'for carol', T),
        messageItem(BOB, 'bobs-own', 'bob wrote this', T),
      ]);
      const result = await applyInboxBatch(store, [
        // Carol names my message to Bob, and Bob names my message to Carol: both ignored.
        receiptItem(CAROL, 'read', ['to-bob']),
        receiptItem(BOB, 'read', ['to-carol']),
        // A receipt for an id that is Bob's own message: not mine, ignored.
        receiptItem(BOB, 'read', ['bobs-own']),
      ]);
      expect(result.statusChanges).toBe(0);
      expect((await getMessage(store, ALICE, 'to-bob'))?.status).toBe('sent');
      expect((await getMessage(store, ALICE, 'to-carol'))?.status).toBe('sent');
      expect((await getMessage(store, BOB, 'bobs-own'))?.status).toBeNull();

      await applyInboxBatch(store, [receiptItem(BOB, 'read', ['to-bob'])]);
      expect((await getMessage(store, ALICE, 'to-bob'))?.status).toBe('read');
    });

    it('never move a status backwards, and the chat row follows', async () => {
      store = await openTestStore();
      await applyInboxBatch(store, [mine(BOB, 'a1', 'hello', T)]);
      await applyInboxBatch(store, [receiptItem(BOB, 'read', ['a1'], T + 20)]);
      await applyInboxBatch(store, [receiptItem(BOB, 'delivered', ['a1'], T + 10)]);
      const message = await getMessage(store, ALICE, 'a1');
      expect(message).toMatchObject({ status: 'read', statusAt: T + 20 });
      expect((await listChats(store))[0]?.lastMessage?.status).toBe('read');
    });

    it('for messages not stored yet change nothing', async () => {
      store = await openTestStore();
      const result = await applyInboxBatch(store, [receiptItem(BOB, 'read', ['unknown'])]);
      expect(result).toMatchObject({ statusChanges: 0, confirmedInboxIds: [expect.any(String)] });
      expect(await listChats(store)).toEqual([]);
    });
  });

  it('applies 10,000 messages in batches of 1,000', async () => {
    store = await openTestStore();
    const words = ['harbour', 'lantern', 'meeting', 'tomorrow', 'coffee', 'train', 'ticket', 'weekend', 'photo', 'dinner'];
    const senders = [BOB, CAROL];
    const started = performance.now();
    for (let batch = 0; batch < 10; batch += 1) {
      const items = Array.from({ length: 1_000 }, (_, index) => {
        const number = batch * 1_000 + index;
        const text = `message ${number}: ${words[number % 10]} ${words[(number * 7) % 10]} at ${number % 24}h`;
        return messageItem(senders[number % 2] ?? BOB, `m${number}`, text, T + number);
      });
      await applyInboxBatch(store, items);
    }
    const elapsed = performance.now() - started;
    console.log(`history: 10,000 messages in batches of 1,000 applied in ${elapsed.toFixed(0)} ms`);
    const chats = await listChats(store);
    expect(chats.map((chat) => chat.unreadCount)).toEqual([5_000, 5_000]);
  });

  it('stores none of a batch’s plaintext', async () => {
    const name = uniqueDatabaseName('batch-raw');
    store = await openTestStore({ name });
    await applyInboxBatch(store, [messageItem(BOB, 'b1', 'The treasure is under the old oak', T)]);
    store.close();
    const text = rawText(await readRawTables(name)).toLowerCase();
    for (const word of ['treasure', 'under', 'treas']) expect(text.includes(word), word).toBe(false);
  });
});
