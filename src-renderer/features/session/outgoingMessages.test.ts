import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../src-shared/ipc/result';
import { getChat, getMessage, listMessagesPage, type HistoryStore } from '../../data';
import { ALICE, BOB, openTestStore } from '../../data/testing/historyTesting';
import { createAppStore } from '../../app/appStore';
import { FakeMain, receipt } from '../../testing/fakeMain';
import { startSession, type Session } from './startSession';

const T = 1_700_000_000_000;
const account = { accountId: ALICE, username: 'alice', deviceId: 3 };

describe('sending and statuses', () => {
  let store: HistoryStore | undefined;
  let session: Session | undefined;
  afterEach(async () => {
    session?.stop();
    await session?.writer.idle();
    store?.close();
  });

  const setUp = async () => {
    store = await openTestStore({ label: 'outgoing' });
    const main = new FakeMain({ state: { status: 'signed_in', account }, now: () => T });
    session = startSession({ bridge: main.bridge, store, account, appStore: createAppStore(), now: () => T });
    await session.pump.pump();
    return { main, session, store };
  };

  const statusOf = async (messageId: string) => (await getMessage(store!, ALICE, messageId))?.status;

  it('sends, records the message as pending, then follows sent → delivered → read', async () => {
    const { main, session, store } = await setUp();
    const outcome = await session.outgoing.send(BOB, 'hello\n  bob');
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(main.callsTo('messaging', 'sendText')).toEqual([{ to: BOB, text: 'hello\n  bob' }]);
    expect(await getMessage(store, ALICE, outcome.messageId)).toMatchObject({
      conversationId: BOB,
      direction: 'out',
      senderDeviceId: 3,
      text: 'hello\n  bob',
      sentAt: T,
      status: 'pending',
    });

    main.emit('messaging', 'onDidChangeMessageStatus', { messageId: outcome.messageId, status: 'sent' });
    await session.writer.idle();
    expect(await statusOf(outcome.messageId)).toBe('sent');

    main.deliver([receipt(BOB, 'delivered', [outcome.messageId], T + 5)]);
    await session.pump.pump();
    expect(await statusOf(outcome.messageId)).toBe('delivered');
    main.deliver([receipt(BOB, 'read', [outcome.messageId], T + 9)]);
    await session.pump.pump();
    expect(await statusOf(outcome.messageId)).toBe('read');
    // A late 'sent' (or a repeated delivery) never moves it back.
    main.emit('messaging', 'onDidChangeMessageStatus', { messageId: outcome.messageId, status: 'sent' });
    await session.writer.idle();
    expect(await statusOf(outcome.messageId)).toBe('read');
    expect((await getChat(store, BOB))?.lastMessage?.status).toBe('read');
  });

  it('keeps a status that overtakes sendText’s answer and applies it once the message is recorded', async () => {
    const { main, session } = await setUp();
    main.override('messaging', 'sendText', () => {
      // Main reports 'sent' (and even 'delivered') before the renderer has the id to record.
      const messageId = '00000000-0000-4000-8000-0000000000e1';
      main.emit('messaging', 'onDidChangeMessageStatus', { messageId, status: 'sent' });
      main.emit('messaging', 'onDidChangeMessageStatus', { messageId, status: 'delivered' });
      return ok({ messageId, sentAt: T });
    });
    const outcome = await session.outgoing.send(BOB, 'quick');
    if (!outcome.ok) throw new Error(outcome.error.message);
    await session.writer.idle();
    expect(await statusOf(outcome.messageId)).toBe('delivered');
  });

  it('a failure before the record is kept too, and a later retry moves it on', async () => {
    const { main, session } = await setUp();
    const messageId = '00000000-0000-4000-8000-0000000000e2';
    main.override('messaging', 'sendText', () => {
      main.emit('messaging', 'onDidChangeMessageStatus', { messageId, status: 'failed' });
      return ok({ messageId, sentAt: T });
    });
    await session.outgoing.send(BOB, 'doomed?');
    await session.writer.idle();
    expect(await statusOf(messageId)).toBe('failed');
    main.emit('messaging', 'onDidChangeMessageStatus', { messageId, status: 'sent' });
    await session.writer.idle();
    expect(await statusOf(messageId)).toBe('sent');
  });

  it('a burst of statuses is written in order without losing any', async () => {
    const { main, session, store } = await setUp();
    const ids: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      const outcome = await session.outgoing.send(BOB, `message ${index}`);
      if (outcome.ok) ids.push(outcome.messageId);
    }
    for (const messageId of ids) main.emit('messaging', 'onDidChangeMessageStatus', { messageId, status: 'sent' });
    await session.writer.idle();
    const page = await listMessagesPage(store, { conversationId: BOB, limit: 50 });
    expect(page.messages.map((message) => message.status)).toEqual(Array(30).fill('sent'));
  });

  it('records nothing when main refuses the send', async () => {
    const { session, store } = await setUp();
    const outcome = await session.outgoing.send(BOB, 'x'.repeat(70_000));
    expect(outcome).toMatchObject({ ok: false, accepted: false, error: { code: 'invalid_argument' } });
    expect((await listMessagesPage(store, { conversationId: BOB, limit: 5 })).messages).toEqual([]);
  });
});
