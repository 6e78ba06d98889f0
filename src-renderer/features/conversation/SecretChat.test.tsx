// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../../src-shared/domain/messages';
import { fakeUuid } from '../../testing/fakeMain';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();

const chatList = () => screen.findByRole('list', { name: 'Chats' });

describe('secret chats (C4)', () => {
  it('starts from the chat header, shows "Secret chat" in its list item and header, sends to its device only, and deletes after a confirm', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    fireEvent.click(await within(await chatList()).findByRole('button', { name: /^bob/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Start secret chat' }));

    await waitFor(() => expect(main.secretChats.size).toBe(1));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'bob' }).closest('header')?.textContent ?? '').toContain('Secret chat'), { timeout: 5_000 });
    const [chat] = [...main.secretChats.values()];
    expect(chat).toMatchObject({ peerAccountId: seed.bob });
    const rows = within(await chatList()).getAllByRole('listitem');
    const secretRow = rows.find((row) => row.textContent?.includes('Secret chat'));
    expect(secretRow?.textContent).toContain('bob');
    expect(rows.filter((row) => row.textContent?.includes('bob'))).toHaveLength(2); // the ordinary chat stays

    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'just between our two devices' } });
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Message' }), { key: 'Enter' });
    await waitFor(() => expect(main.callsTo('messaging', 'sendSecretText')).toEqual([{ chatId: chat!.chatId, text: 'just between our two devices' }]));
    expect(main.callsTo('messaging', 'sendText')).toEqual([]);
    expect(main.callsTo('messaging', 'sendTyping')).toEqual([]);
    await within(screen.getByRole('log', { name: 'Messages' })).findByText('just between our two devices');

    // Their answer arrives in the secret chat, which sends no read receipt for it.
    const messageId = fakeUuid();
    const answer: InboxItem = {
      inboxId: `message:${seed.bob}:${messageId}`,
      kind: 'message',
      message: {
        messageId,
        conversationId: `secret:${chat!.chatId}`,
        direction: 'in',
        senderAccountId: seed.bob,
        senderDeviceId: 1,
        text: 'only here',
        sentAt: Date.now(),
        serverReceivedAt: Date.now(),
        secret: { peerAccountId: seed.bob },
      },
    };
    main.inbox = [answer];
    main.emit('messaging', 'onDidReceive', null);
    await within(screen.getByRole('log', { name: 'Messages' })).findByText('only here');
    const receipts = main.callsTo('messaging', 'sendReadReceipts') as Array<{ receipts: Array<{ messageIds: string[] }> }>;
    expect(receipts.flatMap((call) => call.receipts.flatMap((entry) => entry.messageIds))).not.toContain(messageId);

    fireEvent.click(screen.getByRole('button', { name: 'Delete secret chat' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Chats' })).queryAllByText('Secret chat')).toHaveLength(0));
    expect(main.secretChats.size).toBe(0);
  });

  it('shows a secret chat the other side started, and deletes it when they delete it', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    const chatId = fakeUuid();
    const secretChat = { chatId, peerAccountId: seed.carol, peerDeviceId: 1, startedAt: Date.now() };
    main.inbox = [{ inboxId: `secret:${chatId}:started`, kind: 'secret_chat', secretChat, change: 'started' }];
    main.emit('messaging', 'onDidReceive', null);
    const row = await within(await chatList()).findByRole('button', { name: /^carol/ });
    await waitFor(() => expect(row.textContent).toContain('Secret chat'));
    main.inbox = [{ inboxId: `secret:${chatId}:deleted`, kind: 'secret_chat', secretChat, change: 'deleted' }];
    main.emit('messaging', 'onDidReceive', null);
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Chats' })).queryByText('Secret chat')).toBeNull());
  });
});
