// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeLayout } from '../../testing/layout';
import { renderApp } from '../../testing/renderApp';

installFakeLayout();
/** The signed-in app is a lazy chunk: on a loaded two-core machine its first render takes more than findBy's default second. */
const LOADED_MACHINE_MS = 15_000;
const ALICE = '00000000-0000-4000-8000-00000000a11c';
beforeEach(() => {
  window.matchMedia ??= (() => ({ matches: false, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
});
afterEach(cleanup);

const openPasswordSignIn = async () => {
  const rendered = renderApp({ directory: { alice: ALICE }, password: 'correct horse battery' });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your password' }, { timeout: LOADED_MACHINE_MS }));
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: '@Alice' } });
  return rendered;
};

describe('signing in with the password on a machine with no device of the account', () => {
  it('says a wrong password as that, names where the account is signed in, and links instead if asked', async () => {
    const { main } = await openPasswordSignIn();
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'not the password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect((await screen.findByText('That username and password do not match an account.')).getAttribute('role')).toBe('alert');

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'Your history stays on your devices' })).toBeTruthy();
    const list = screen.getByRole('list', { name: '@alice is still signed in on' });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([expect.stringContaining('Parley desktop')]);
    expect(main.callsTo('account', 'startFresh')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Link this device instead' }));
    expect(await screen.findByRole('button', { name: 'Show link code' })).toBeTruthy();
  });

  it('starts fresh only once confirmed, and Cancel keeps everything', async () => {
    const { main } = await openPasswordSignIn();
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Start fresh' }));
    const prompt = screen.getByRole('alertdialog');
    expect(prompt.textContent).toContain('safety number changed');
    fireEvent.click(within(prompt).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start fresh' })));
    expect(main.callsTo('account', 'startFresh')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Start fresh' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete history and start fresh' }));
    expect(await screen.findByRole('button', { name: 'Settings' }, { timeout: LOADED_MACHINE_MS })).toBeTruthy();
    expect(main.callsTo('account', 'startFresh')).toEqual([{ username: 'alice', password: 'correct horse battery' }]);
  });

  it('Back returns to the welcome screen', async () => {
    await openPasswordSignIn();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(await screen.findByRole('button', { name: 'Create account' })).toBeTruthy();
  });
});
