// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_LINK_CODE } from '../../testing/fakeMain';
import { installFakeLayout } from '../../testing/layout';
import { renderApp, signedInAs } from '../../testing/renderApp';

installFakeLayout();
/** The signed-in app is a lazy chunk: on a loaded two-core machine its first render takes more than findBy's default second. */
const LOADED_MACHINE_MS = 15_000;
beforeEach(() => {
  window.matchMedia ??= (() => ({ matches: false, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
});
afterEach(cleanup);

describe('linking, on the new device', () => {
  it('asks for this device’s password, then shows the code as text and QR, and signs in when linked', async () => {
    const { main } = renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Link to an existing account' }, { timeout: LOADED_MACHINE_MS }));
    fireEvent.change(await screen.findByLabelText('Password for this device'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show link code' }));
    expect(main.callsTo('account', 'startLink')).toEqual([]);
    fireEvent.change(screen.getByLabelText('Password for this device'), { target: { value: 'long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show link code' }));
    const code = (await screen.findByRole('textbox', { name: 'Link code' })) as HTMLTextAreaElement;
    expect(code.value).toBe(FAKE_LINK_CODE);
    expect(code.readOnly).toBe(true);
    expect(screen.getByRole('img', { name: 'Link code QR' })).toBeTruthy();
    expect(main.callsTo('account', 'startLink')).toEqual([{ password: 'long enough password' }]);

    main.signIn({ accountId: '00000000-0000-4000-8000-00000000a11c', username: 'alice', deviceId: 2 });
    expect(await screen.findByRole('button', { name: 'Settings' }, { timeout: LOADED_MACHINE_MS })).toBeTruthy();
  });

  it('shows the code at once where no password is needed, says why a link failed, and Cancel goes back', async () => {
    const { main } = renderApp();
    main.linkNeedsPassword = false;
    fireEvent.click(await screen.findByRole('button', { name: 'Link to an existing account' }, { timeout: LOADED_MACHINE_MS }));
    await screen.findByRole('textbox', { name: 'Link code' });
    main.emit('account', 'onDidChangeLink', { status: 'failed', reason: 'expired', message: 'This link code expired before it was used: make a new one.' });
    expect((await screen.findByRole('alert')).textContent).toContain('expired');
    fireEvent.click(screen.getByRole('button', { name: 'Make a new code' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('button', { name: 'Create account' })).toBeTruthy();
    expect(main.callsTo('account', 'cancelLink')).toEqual([{}]);
  });
});

describe('linking, on the signed-in device', () => {
  it('reads the pasted code, shows the new device and links it once confirmed', async () => {
    const { main } = renderApp(signedInAs('alice'));
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }, { timeout: LOADED_MACHINE_MS }));
    fireEvent.click(await screen.findByRole('button', { name: 'Active sessions' }));
    const dialog = await screen.findByRole('dialog', { name: 'Active sessions' });
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Link a device' }));
    const field = within(dialog).getByRole('textbox', { name: 'Link code' });
    fireEvent.change(field, { target: { value: 'parley-link:wrong.xxxxxx' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Link' }));
    const form = field.closest('form')!;
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toContain('not a whole link code'));
    fireEvent.change(field, { target: { value: `  ${FAKE_LINK_CODE}\n` } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Link' }));
    const prompt = await within(dialog).findByRole('alertdialog');
    expect(prompt.textContent).toContain('“Parley desktop” (Linux)');
    expect(main.callsTo('devices', 'link')).toEqual([]);
    fireEvent.click(within(prompt).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(within(dialog).getAllByRole('listitem')).toHaveLength(2));
    expect(main.callsTo('devices', 'link')).toEqual([{ code: FAKE_LINK_CODE, directory: { contacts: [], chats: [] } }]);
    expect(within(dialog).getByRole('status').textContent).toContain('Linked “Parley desktop”');
  });
});
