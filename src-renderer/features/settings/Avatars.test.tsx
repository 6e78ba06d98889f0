// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();

const PICTURE = Buffer.from('a picture as main would make it').toString('base64');

const openSettingsSection = async (section: string) => {
  fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
  const dialog = await screen.findByRole('dialog', { name: 'Settings' });
  fireEvent.click(within(dialog).getByRole('button', { name: section }));
  return dialog;
};

describe('avatars (A4) and contacts (B2)', () => {
  it('Choose avatar hands the picked file to main and shows the picture; Remove avatar takes it away', async () => {
    const seed = aliceWithFriends();
    const { main, container } = renderApp(seed.options);
    const dialog = await openSettingsSection('Edit profile');
    const choose = await within(dialog).findByRole('button', { name: 'Choose avatar' });
    expect(within(dialog).queryByRole('button', { name: 'Remove avatar' })).toBeNull();

    const input = container.ownerDocument.querySelector<HTMLInputElement>('input[type="file"]')!;
    const clicked: string[] = [];
    input.addEventListener('click', () => clicked.push('picker opened'));
    fireEvent.click(choose);
    expect(clicked).toEqual(['picker opened']);
    const file = new File([Buffer.from('a picture as main would make it')], 'me.png', { type: 'image/png' });
    fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() => expect(main.callsTo('profile', 'setAvatar')).toEqual([{ file: PICTURE }]));
    await within(dialog).findByText('Your avatar is set.');
    await waitFor(() => expect(container.ownerDocument.querySelector(`img[src="data:image/webp;base64,${PICTURE}"]`)).not.toBeNull());

    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove avatar' }));
    await within(dialog).findByText('Your avatar is removed.');
    expect(main.avatar).toBeNull();
    expect(container.ownerDocument.querySelector('img.avatar__image')).toBeNull();
  });

  it('refuses a file over 10 MB before sending anything', async () => {
    const seed = aliceWithFriends();
    const { main, container } = renderApp(seed.options);
    const dialog = await openSettingsSection('Edit profile');
    await within(dialog).findByRole('button', { name: 'Choose avatar' });
    const input = container.ownerDocument.querySelector<HTMLInputElement>('input[type="file"]')!;
    const huge = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' });
    fireEvent.change(input, { target: { files: [huge] } });
    expect((await within(dialog).findByRole('alert')).textContent).toContain('larger than 10 MB');
    expect(main.callsTo('profile', 'setAvatar')).toEqual([]);
  });

  it('sets who sees my avatar, adds someone to my contacts from the chat header, and shows their avatar', async () => {
    const seed = aliceWithFriends();
    const { main, container } = renderApp(seed.options);
    main.inbox = [...seed.inbox, { inboxId: `avatar:${seed.bob}`, kind: 'avatar', accountId: seed.bob, image: PICTURE }];
    main.emit('messaging', 'onDidReceive', null);
    const list = await screen.findByRole('list', { name: 'Chats' });
    fireEvent.click(await within(list).findByRole('button', { name: /^bob/ }));
    const header = (await screen.findByRole('heading', { name: 'bob' })).closest('header')!;
    await waitFor(() => expect(header.querySelector(`img[src="data:image/webp;base64,${PICTURE}"]`)).not.toBeNull());
    expect(list.querySelector(`img[src="data:image/webp;base64,${PICTURE}"]`)).not.toBeNull();

    fireEvent.click(await within(header).findByRole('button', { name: 'Add to contacts' }));
    await within(header).findByRole('button', { name: 'Remove from contacts' });
    expect(main.preferences.contacts).toEqual([seed.bob]);

    // They take it back: the initials show again.
    main.inbox = [{ inboxId: `avatar:${seed.bob}`, kind: 'avatar', accountId: seed.bob, image: null }];
    main.emit('messaging', 'onDidReceive', null);
    await waitFor(() => expect(container.ownerDocument.querySelector('img.avatar__image')).toBeNull());

    const dialog = await openSettingsSection('Privacy and security');
    const group = within(dialog).getByRole('radiogroup', { name: 'Avatar visible to' });
    expect((within(group).getByRole('radio', { name: 'My contacts' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(group).getByRole('radio', { name: 'Nobody' }));
    await waitFor(() => expect(main.preferences.avatarVisibility).toBe('nobody'));
    await waitFor(() => expect((within(group).getByRole('radio', { name: 'Nobody' }) as HTMLInputElement).checked).toBe(true));
  });
});
