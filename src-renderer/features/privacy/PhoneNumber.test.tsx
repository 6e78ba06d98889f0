// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { FAKE_PHONE_CODE } from '../../testing/fakeMain';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();

const openPrivacy = async () => {
  fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
  const dialog = await screen.findByRole('dialog', { name: 'Settings' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Privacy and security' }));
  return dialog;
};

describe('phone number (H3) and finding people by it (B1)', () => {
  it('adds a number with the texted code, switches Find me by my phone number, and removes it', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    const dialog = await openPrivacy();
    const findMe = within(dialog).getByRole('checkbox', { name: 'Find me by my phone number' }) as HTMLInputElement;
    await waitFor(() => expect(within(dialog).getByRole('textbox', { name: 'Phone number' })).toHaveProperty('disabled', false));
    expect(findMe.disabled).toBe(true);

    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Phone number' }), { target: { value: '020 7946 0958' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send code' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('country code');

    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Phone number' }), { target: { value: '+44 20 7946 0958' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send code' }));
    await within(dialog).findByText('A six-digit code is on its way to +442079460958.');
    const code = within(dialog).getByRole('textbox', { name: 'Code' });
    fireEvent.change(code, { target: { value: '654321' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Verify' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('wrong or has expired');
    fireEvent.change(code, { target: { value: FAKE_PHONE_CODE } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Verify' }));
    await within(dialog).findByText('+442079460958');
    expect(main.phone).toEqual({ number: '+442079460958', discoverable: true });

    const checkbox = within(dialog).getByRole('checkbox', { name: 'Find me by my phone number' }) as HTMLInputElement;
    expect(checkbox.checked).toBe(true);
    fireEvent.click(checkbox);
    await waitFor(() => expect(main.phone?.discoverable).toBe(false));
    await waitFor(() => expect(checkbox.checked).toBe(false));

    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove phone number' }));
    await within(dialog).findByRole('button', { name: 'Send code' });
    expect(main.phone).toBeNull();
  });

  it('finds someone in Search by their number, and says so when nobody can be found by it', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.phoneDirectory.set('+33142685300', seed.bob);
    const search = await screen.findByRole('textbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: '+33 1 42 68 53 00' } });
    const people = await screen.findByRole('list', { name: 'People' });
    expect(within(people).getByRole('button').textContent).toContain('@bob');
    expect(main.callsTo('contacts', 'findByPhone')).toEqual([{ number: '+33142685300' }]);

    fireEvent.change(search, { target: { value: '+49 30 901820' } });
    await screen.findByText('Nobody can be found by +4930901820.');
    fireEvent.change(search, { target: { value: '+49' } });
    await screen.findByText(/whole phone number with its country code/);
  });
});
