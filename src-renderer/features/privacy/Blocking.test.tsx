// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();

const openChatWithBob = async () => {
  const list = await screen.findByRole('list', { name: 'Chats' });
  fireEvent.click(await within(list).findByRole('button', { name: /^bob/ }));
  return screen.findByRole('heading', { name: 'bob' });
};

describe('blocking (B3) and privacy settings (F3)', () => {
  it('blocks from the chat header: the composer gives way to a note, Settings lists them, and Unblock there undoes it', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    const heading = await openChatWithBob();
    const header = heading.closest('header')!;
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();

    fireEvent.click(await within(header).findByRole('button', { name: 'Block' }));
    await waitFor(() => expect(main.callsTo('preferences', 'change')).toEqual([{ changes: [{ key: 'blocked', accountId: seed.bob, value: true }] }]));
    await within(header).findByRole('button', { name: 'Unblock' });
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(screen.getByText(/You blocked bob/)).toBeTruthy();
    expect(within(header).queryByRole('button', { name: 'Start secret chat' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Privacy and security' }));
    const blocked = within(dialog).getByRole('list', { name: 'Blocked users' });
    const [item] = within(blocked).getAllByRole('listitem');
    await waitFor(() => expect(item!.textContent).toContain('@bob'));
    fireEvent.click(within(item!).getByRole('button', { name: 'Unblock' }));
    await waitFor(() => expect(within(dialog).getByRole('list', { name: 'Blocked users' }).children).toHaveLength(0));
    expect(main.preferences.blocked).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close settings' }));
    await screen.findByRole('textbox', { name: 'Message' });
  });

  it('follows a block made on another device, and sets who can call me', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    const header = (await openChatWithBob()).closest('header')!;
    await within(header).findByRole('button', { name: 'Block' });
    main.preferences = { ...main.preferences, blocked: [seed.bob] };
    main.emit('preferences', 'onDidChange', main.preferences);
    await within(header).findByRole('button', { name: 'Unblock' });

    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Privacy and security' }));
    const group = within(dialog).getByRole('radiogroup', { name: 'Who can call me' });
    expect((within(group).getByRole('radio', { name: 'My contacts' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(group).getByRole('radio', { name: 'Nobody' }));
    await waitFor(() => expect(main.preferences.whoCanCall).toBe('nobody'));
    await waitFor(() => expect((within(group).getByRole('radio', { name: 'Nobody' }) as HTMLInputElement).checked).toBe(true));
  });
});
