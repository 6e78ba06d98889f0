import '../zodSetup';
import type { InboxItem } from '../../src-shared/domain/messages';
import { FakeMain, fakeUuid, incomingMessage, receipt } from '../testing/fakeMain';

/**
 * PREVIEW HARNESS, not part of the app: a scripted `window.parley` with a believable history, so
 * the built renderer can be looked at in a plain Chromium without a core or a server
 * (tools/previewRenderer.ts bundles this and injects it before the app's own script). What it
 * shows is chosen with `window.__parleyPreview = { screen: 'signup' | 'signin' | 'chats' }`.
 */

type PreviewConfig = { screen?: 'signup' | 'signin' | 'chats'; /** Extra numbered messages from bob, for scrolling. */ longHistory?: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function outgoing(me: string, to: string, text: string, sentAt: number): InboxItem & { kind: 'message' } {
  const messageId = fakeUuid();
  return {
    inboxId: `message:${me}:${messageId}`,
    kind: 'message',
    message: { messageId, conversationId: to, direction: 'out', senderAccountId: me, senderDeviceId: 2, text, sentAt, serverReceivedAt: sentAt + 30 },
  };
}

function history(me: string, people: Record<string, string>, now: number): InboxItem[] {
  const { bob, carol, dmitri, erin, farah } = people as Record<'bob' | 'carol' | 'dmitri' | 'erin' | 'farah', string>;
  const items: InboxItem[] = [];
  const read: string[] = [];
  const delivered: string[] = [];
  const mine = (to: string, text: string, at: number, state: 'read' | 'delivered' | 'sent') => {
    const item = outgoing(me, to, text, at);
    items.push(item);
    if (state === 'read') read.push(item.message.messageId);
    if (state === 'delivered') delivered.push(item.message.messageId);
  };
  const theirs = (from: string, text: string, at: number) => items.push(incomingMessage(from, text, at));

  theirs(carol, 'Did you see the photos from the hike?', now - 9 * DAY);
  mine(carol, 'Yes! The one from the ridge is wonderful.', now - 9 * DAY + 4 * MINUTE, 'read');
  theirs(bob, 'Are we still on for the review tomorrow?', now - DAY - 3 * HOUR);
  mine(bob, 'Yes — 10:00, the small room.', now - DAY - 3 * HOUR + 2 * MINUTE, 'read');
  theirs(bob, 'Perfect. I will bring the printouts.', now - DAY - 3 * HOUR + 3 * MINUTE);
  mine(bob, 'Morning! Running five minutes late ☕', now - 2 * HOUR, 'read');
  theirs(bob, 'No problem, the room is ours until 11.', now - 2 * HOUR + MINUTE);
  theirs(bob, 'Also: the figures for Q3 are in the shared folder.\nPage 4 has the summary.', now - 2 * HOUR + 2 * MINUTE);
  mine(bob, 'Thanks, reading them now.', now - 20 * MINUTE, 'read');
  mine(bob, 'The chart on page 6 looks off — the axis starts at 40 instead of 0. Could you check the source sheet before we send it round?', now - 18 * MINUTE, 'delivered');
  theirs(dmitri, 'Привет! Встречаемся в субботу?', now - 5 * HOUR);
  theirs(erin, 'שלום! נתראה מחר בבוקר?', now - 3 * DAY);
  theirs(farah, 'The tickets are booked 🎉', now - 40 * MINUTE);
  theirs(farah, 'Gate closes at 7:40, don’t be late!', now - 39 * MINUTE);
  theirs(carol, 'Lunch on Friday?', now - 6 * MINUTE);
  items.push(receipt(bob, 'read', read.slice(1), now - 15 * MINUTE));
  items.push(receipt(carol, 'read', read.slice(0, 1), now - 9 * DAY));
  items.push(receipt(bob, 'delivered', delivered, now - 17 * MINUTE));
  return items;
}

function install(config: PreviewConfig) {
  const now = Date.now();
  const me = fakeUuid();
  const people = { bob: fakeUuid(), carol: fakeUuid(), dmitri: fakeUuid(), erin: fakeUuid(), farah: fakeUuid(), grace: fakeUuid() };
  const screen = config.screen ?? 'chats';
  const main = new FakeMain({
    state:
      screen === 'signup'
        ? { status: 'signed_out' }
        : screen === 'signin'
          ? { status: 'locked', username: 'alice' }
          : { status: 'signed_in', account: { accountId: me, username: 'alice', deviceId: 1 } },
    password: 'preview password',
    directory: { alice: me, ...people },
    autoSent: true,
  });
  if (screen === 'chats') main.inbox = history(me, people, now);
  const extra = Math.min(config.longHistory ?? 0, 100_000);
  for (let index = 0; index < extra; index += 1) {
    const at = now - 30 * DAY + index * MINUTE;
    main.inbox.push(index % 3 === 0 ? outgoing(me, people.bob, `Numbered message ${index}`, at) : incomingMessage(people.bob, `Numbered message ${index}`, at));
  }
  // Replies come in a moment after you send, with a typing indicator first.
  main.override('messaging', 'sendText', (argument: { to: string; text: string }) => {
    const messageId = fakeUuid();
    const sentAt = Date.now();
    setTimeout(() => main.emit('messaging', 'onDidChangeMessageStatus', { messageId, status: 'sent' }), 300);
    setTimeout(() => main.emit('messaging', 'onDidChangeTyping', { accountId: argument.to, typing: true }), 800);
    setTimeout(() => {
      main.deliver([receipt(argument.to, 'read', [messageId], Date.now()), incomingMessage(argument.to, `You said: ${argument.text}`, Date.now())]);
    }, 2_500);
    return { ok: true, value: { messageId, sentAt } };
  });
  setTimeout(() => main.emit('messaging', 'onDidChangeConnection', 'open'), 100);
  (window as unknown as { parley: unknown }).parley = main.bridge;
  (window as unknown as { __parleyPreviewMain: FakeMain }).__parleyPreviewMain = main;
}

install((window as unknown as { __parleyPreview?: PreviewConfig }).__parleyPreview ?? {});
