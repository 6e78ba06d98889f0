import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyInboxBatch } from './applyInboxBatch';
import type { HistoryStore } from './historyStore';
import { getChat } from './queries/chatList';
import { countUnread, getMessage } from './queries/conversationMessages';
import { searchMessages } from './queries/searchMessages';
import { recordOutgoing, setOutgoingStatus } from './recordOutgoing';
import { ALICE, BOB, CAROL, messageItem, openTestStore, receiptItem } from './testing/historyTesting';

const T = 1_700_000_000_000;
const hello = { messageId: 'a1', conversationId: BOB, senderDeviceId: 1, text: 'Hello Bob', sentAt: T };

describe('recordOutgoing', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  it('stores my message as pending and shows it in the chat row', async () => {
    store = await openTestStore();
    await recordOutgoing(store, hello);
    expect(await getMessage(store, ALICE, 'a1')).toMatchObject({
      direction: 'out',
      status: 'pending',
      senderAccountId: ALICE,
      serverReceivedAt: null,
    });
    expect(await countUnread(store, BOB)).toBe(0);
    const chat = await getChat(store, BOB);
    expect(chat).toMatchObject({ unreadCount: 0, lastActivityAt: T });
    expect(chat?.lastMessage).toMatchObject({ messageId: 'a1', preview: 'Hello Bob', status: 'pending' });
    expect((await searchMessages(store, { query: 'hello' })).map((message) => message.messageId)).toEqual(['a1']);
  });

  it('is idempotent', async () => {
    store = await openTestStore();
    await recordOutgoing(store, hello);
    await setOutgoingStatus(store, ['a1'], 'sent');
    await recordOutgoing(store, { ...hello, text: 'something else' });
    expect(await getMessage(store, ALICE, 'a1')).toMatchObject({ text: 'Hello Bob', status: 'sent' });
  });

  it('moves pending → sent → delivered → read, and never back', async () => {
    store = await openTestStore();
    await recordOutgoing(store, hello);
    expect(await setOutgoingStatus(store, ['a1'], 'sent', T + 1)).toBe(1);
    await applyInboxBatch(store, [receiptItem(BOB, 'read', ['a1'], T + 3)]);
    // A late "sent" and a late delivery receipt arrive after the read receipt.
    expect(await setOutgoingStatus(store, ['a1'], 'sent', T + 4)).toBe(0);
    await applyInboxBatch(store, [receiptItem(BOB, 'delivered', ['a1'], T + 2)]);
    expect(await setOutgoingStatus(store, ['a1'], 'failed', T + 5)).toBe(0);
    expect(await getMessage(store, ALICE, 'a1')).toMatchObject({ status: 'read', statusAt: T + 3 });
    expect((await getChat(store, BOB))?.lastMessage?.status).toBe('read');
  });

  it('lets a pending message fail, and a retry succeed', async () => {
    store = await openTestStore();
    await recordOutgoing(store, hello);
    await setOutgoingStatus(store, ['a1'], 'failed');
    expect((await getChat(store, BOB))?.lastMessage?.status).toBe('failed');
    await setOutgoingStatus(store, ['a1'], 'pending');
    await setOutgoingStatus(store, ['a1'], 'sent');
    expect((await getMessage(store, ALICE, 'a1'))?.status).toBe('sent');
  });

  it('turns pending into sent when the core hands the same message over', async () => {
    store = await openTestStore();
    await recordOutgoing(store, hello);
    const result = await applyInboxBatch(store, [messageItem(ALICE, 'a1', 'Hello Bob', T, BOB)]);
    expect(result).toMatchObject({ added: 0, duplicates: 1 });
    expect((await getMessage(store, ALICE, 'a1'))?.status).toBe('sent');
    expect((await getChat(store, BOB))?.lastMessage?.status).toBe('sent');
  });

  it('ignores status changes for messages that are not mine', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, [messageItem(BOB, 'b1', 'hi', T)]);
    expect(await setOutgoingStatus(store, ['b1', 'unknown'], 'read')).toBe(0);
    expect((await getMessage(store, BOB, 'b1'))?.status).toBeNull();
    await recordOutgoing(store, { ...hello, conversationId: CAROL });
    expect((await getChat(store, BOB))?.lastMessage?.messageId).toBe('b1');
  });
});
