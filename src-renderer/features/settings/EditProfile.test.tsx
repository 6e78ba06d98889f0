// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();

const openEditProfile = async () => {
  fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
  const dialog = await screen.findByRole('dialog', { name: 'Settings' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Edit profile' }));
  return dialog;
};

describe('Edit profile (A2, A3)', () => {
  it('saves the display name and bio, and a new @username first when it changed', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    const dialog = await openEditProfile();
    const username = within(dialog).getByRole('textbox', { name: 'Username' });
    await waitFor(() => expect(username).toHaveProperty('value', 'alice'));
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Display name' }), { target: { value: 'Alice Liddell' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Bio' }), { target: { value: 'Curiouser' } });
    fireEvent.change(username, { target: { value: '@Alice_L' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save profile' }));
    await within(dialog).findByText('Saved. The people you write to will see it.');
    expect(main.callsTo('profile', 'changeUsername')).toEqual([{ username: 'alice_l' }]);
    expect(main.callsTo('profile', 'save')).toEqual([{ displayName: 'Alice Liddell', bio: 'Curiouser' }]);
    // The session follows main's new account state: the name shows everywhere.
    await within(dialog).findByText('@alice_l');
    await waitFor(() => expect(username).toHaveProperty('value', 'alice_l'));
  });

  it('refuses a malformed or taken username with words under the field, saving nothing', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    const dialog = await openEditProfile();
    const username = within(dialog).getByRole('textbox', { name: 'Username' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Display name' }), { target: { value: 'Alice' } });
    fireEvent.change(username, { target: { value: 'no spaces' } });
    expect(username.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save profile' }));
    expect(main.callsTo('profile', 'changeUsername')).toEqual([]);

    fireEvent.change(username, { target: { value: 'bob' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save profile' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('That username is taken');
    expect(main.callsTo('profile', 'save')).toEqual([]);
  });
});
