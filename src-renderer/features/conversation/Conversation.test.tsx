// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TYPING_EXPIRY_MS } from '../../../src-shared/ipc/messaging';
import { incomingMessage } from '../../testing/fakeMain';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();
afterEach(() => {
  vi.useRealTimers();
});

const chatRow = async (name: string) => {
  const list = await screen.findByRole('list', { name: 'Chats' });
  return within(list).findByRole('button', { name: new RegExp(`^${name}`) });
};

describe('chat list and conversation', () => {
  it('lists chats newest first with name, preview and unread count', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    const bobRow = await chatRow('bob');
    await waitFor(() => expect(bobRow.textContent).toContain('Are you there?'));
    expect(bobRow.querySelector('.badge')?.textContent).toBe('2 unread messages');
    const rows = within(screen.getByRole('list', { name: 'Chats' })).getAllByRole('button');
    expect(rows.map((row) => row.querySelector('.chat-row__name')?.textContent)).toEqual(['bob', 'carol']);
    await waitFor(() => expect(document.title).toBe('(3) Parley'));
  });

  it('opening a chat in a focused window marks it read and sends read receipts for exactly those messages', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    fireEvent.click(await chatRow('bob'));
    const log = await screen.findByRole('log', { name: 'Messages' });
    await within(log).findByText('Are you there?');
    const bobIds = seed.inbox.slice(1).map((item) => (item.kind === 'message' ? item.message.messageId : ''));
    await waitFor(() => expect(main.callsTo('messaging', 'sendReadReceipts')).toHaveLength(1));
    const [call] = main.callsTo('messaging', 'sendReadReceipts') as Array<{ receipts: Array<{ accountId: string; messageIds: string[] }> }>;
    expect(call?.receipts.map((entry) => ({ ...entry, messageIds: [...entry.messageIds].sort() }))).toEqual([
      { accountId: seed.bob, messageIds: [...bobIds].sort() },
    ]);
    await waitFor(() => expect((screen.getAllByRole('button', { name: /^bob/ })[0]?.textContent ?? '').includes('unread')).toBe(false));
    expect(screen.getByRole('heading', { name: 'bob' })).toBeTruthy();
    expect(screen.getByText('@bob')).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('(1) Parley'));
  });

  it('says in the chat that a contact’s safety number changed, until dismissed', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.deliver([...seed.inbox, { inboxId: 'identity:bob', kind: 'identity_changed', identityChange: { accountId: seed.bob, changedAt: Date.now() } }]);
    fireEvent.click(await chatRow('bob'));
    const notice = await screen.findByRole('note', { name: 'Safety number changed' });
    expect(notice.textContent).toContain('Your safety number with bob changed today');
    fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('note', { name: 'Safety number changed' })).toBeNull());
    fireEvent.click(await chatRow('carol'));
    await screen.findByRole('heading', { name: 'carol' });
    expect(screen.queryByRole('note', { name: 'Safety number changed' })).toBeNull();
  });

  it('leaves messages unread while the window is in the background', async () => {
    const seed = aliceWithFriends();
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    fireEvent.click(await chatRow('bob'));
    await within(await screen.findByRole('log', { name: 'Messages' })).findByText('Are you there?');
    expect(main.callsTo('messaging', 'sendReadReceipts')).toEqual([]);
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    fireEvent.focus(window);
    await waitFor(() => expect(main.callsTo('messaging', 'sendReadReceipts')).toHaveLength(1));
  });

  it('shows hostile text as the characters it is and runs nothing', async () => {
    const seed = aliceWithFriends();
    const hostile = [
      '<script>window.__parleyPwned = 1</script>',
      '<img src=x onerror="window.__parleyPwned = 2">',
      '<b>not bold</b> &amp; &lt;',
      'שלום עולם — right to left',
      'line one\n    indented line two\n\n',
      'x'.repeat(10_000),
    ];
    const now = Date.now();
    const { main, container } = renderApp(seed.options);
    main.inbox = hostile.map((text, index) => incomingMessage(seed.bob, text, now - 1_000 + index));
    main.emit('messaging', 'onDidReceive', null);
    fireEvent.click(await chatRow('bob'));
    const log = await screen.findByRole('log', { name: 'Messages' });
    await within(log).findByText('x'.repeat(10_000));
    const texts = [...log.querySelectorAll('.message__text')].map((element) => element.textContent);
    expect(texts).toEqual(hostile);
    expect(log.querySelector('script, img, b')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect((window as unknown as { __parleyPwned?: number }).__parleyPwned).toBeUndefined();
    for (const element of log.querySelectorAll('.message__text')) expect(element.getAttribute('dir')).toBe('auto');
  });

  it('shows "typing…" from the typing event and lets it expire on its own', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    fireEvent.click(await chatRow('bob'));
    await screen.findByRole('log', { name: 'Messages' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    act(() => main.emit('messaging', 'onDidChangeTyping', { accountId: seed.bob, typing: true }));
    expect(screen.getByText('typing…')).toBeTruthy();
    act(() => vi.advanceTimersByTime(TYPING_EXPIRY_MS - 1));
    expect(screen.queryByText('typing…')).toBeTruthy();
    act(() => vi.advanceTimersByTime(1));
    expect(screen.queryByText('typing…')).toBeNull();
    act(() => main.emit('messaging', 'onDidChangeTyping', { accountId: seed.bob, typing: true }));
    act(() => main.emit('messaging', 'onDidChangeTyping', { accountId: seed.bob, typing: false }));
    expect(screen.queryByText('typing…')).toBeNull();
  });
});
