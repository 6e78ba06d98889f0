// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failure } from '../../../src-shared/ipc/result';
import type { DeviceListItem } from '../../../src-shared/ipc/devices';
import { installFakeLayout } from '../../testing/layout';
import { renderApp, signedInAs } from '../../testing/renderApp';

installFakeLayout();
/** The signed-in app is a lazy chunk: on a loaded two-core machine its first render takes more than findBy's default second. */
const LOADED_MACHINE_MS = 15_000;

const TODAY = Math.floor(Date.now() / 86_400_000);
const device = (deviceId: number, name: string, thisDevice = false): DeviceListItem => ({
  deviceId,
  name,
  platform: deviceId === 3 ? 'other' : 'linux',
  osVersion: deviceId === 3 ? '' : '6.1.0',
  appVersion: deviceId === 3 ? '' : 'desktop 0.1.0',
  createdDay: TODAY - 40,
  lastSeenDay: TODAY - (thisDevice ? 0 : 1),
  thisDevice,
});

beforeEach(() => {
  window.matchMedia ??= (() => ({ matches: false, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
});
afterEach(cleanup);

async function openActiveSessions(devices: DeviceListItem[]) {
  const rendered = renderApp(signedInAs('alice'));
  rendered.main.devices = devices;
  fireEvent.click(await screen.findByRole('button', { name: 'Settings' }, { timeout: LOADED_MACHINE_MS }));
  fireEvent.click(await screen.findByRole('button', { name: 'Active sessions' }));
  const dialog = await screen.findByRole('dialog', { name: 'Active sessions' });
  const list = await within(dialog).findByRole('list', { name: 'Active sessions' });
  return { ...rendered, dialog, list };
}

describe('Active sessions', () => {
  it('lists every device, this one first and marked, with its system and days', async () => {
    const { list } = await openActiveSessions([device(1, 'Desk', true), device(2, 'Laptop'), device(3, 'Old phone')]);
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.getAttribute('aria-label'))).toEqual(['Desk', 'Laptop', 'Old phone']);
    expect(items[0]!.textContent).toContain('This device');
    expect(items[1]!.textContent).not.toContain('This device');
    expect(items[1]!.textContent).toContain('Linux 6.1.0 · desktop 0.1.0');
    expect(items[1]!.textContent).toContain('active yesterday');
    expect(items[2]!.textContent).toContain('Unknown system · unknown version');
    expect(within(items[0]!).queryByRole('button', { name: 'Terminate' })).toBeNull();
    expect(within(items[1]!).getByRole('button', { name: 'Terminate' })).toBeTruthy();
  });

  it('terminates another device only once confirmed; Escape cancels the prompt and keeps the dialog', async () => {
    const { main, list, dialog } = await openActiveSessions([device(1, 'Desk', true), device(2, 'Laptop'), device(3, 'Old phone')]);
    const laptop = within(list).getByRole('listitem', { name: 'Laptop' });
    fireEvent.click(within(laptop).getByRole('button', { name: 'Terminate' }));
    const prompt = within(laptop).getByRole('alertdialog');
    expect(prompt.textContent).toContain('“Laptop”');
    expect(document.activeElement).toBe(within(prompt).getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(within(laptop).queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('dialog', { name: 'Active sessions' })).toBe(dialog);
    expect(main.callsTo('devices', 'terminate')).toEqual([]);

    fireEvent.click(within(laptop).getByRole('button', { name: 'Terminate' }));
    fireEvent.click(within(within(laptop).getByRole('alertdialog')).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(within(list).queryByRole('listitem', { name: 'Laptop' })).toBeNull());
    expect(main.callsTo('devices', 'terminate')).toEqual([{ deviceId: 2 }]);
    expect(within(dialog).getByRole('status').textContent).toContain('Ended the session on “Laptop”');
  });

  it('terminates all other sessions once confirmed, then says none are left', async () => {
    const { main, list, dialog } = await openActiveSessions([device(1, 'Desk', true), device(2, 'Laptop'), device(3, 'Old phone')]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Terminate all other sessions' }));
    const prompt = within(dialog).getByRole('alertdialog');
    expect(prompt.textContent).toContain('all 2 other devices');
    fireEvent.click(within(prompt).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    expect(main.callsTo('devices', 'terminateOthers')).toEqual([{}]);
    expect(dialog.textContent).toContain('No other device is signed in');
    expect(within(dialog).queryByRole('button', { name: 'Terminate all other sessions' })).toBeNull();
  });

  it('says why a terminate failed and keeps the device listed', async () => {
    const { main, list, dialog } = await openActiveSessions([device(1, 'Desk', true), device(2, 'Laptop')]);
    main.override('devices', 'terminate', () => failure('unreachable', 'offline'));
    const laptop = within(list).getByRole('listitem', { name: 'Laptop' });
    fireEvent.click(within(laptop).getByRole('button', { name: 'Terminate' }));
    fireEvent.click(within(within(laptop).getByRole('alertdialog')).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).not.toBe(''));
    expect(within(list).getByRole('listitem', { name: 'Laptop' })).toBeTruthy();
  });

  it('renames this device, refusing an empty name before asking main', async () => {
    const { main, list } = await openActiveSessions([device(1, 'Desk', true), device(2, 'Laptop')]);
    fireEvent.click(within(list).getByRole('button', { name: 'Rename' }));
    const field = within(list).getByRole('textbox', { name: 'Name of this device' });
    fireEvent.change(field, { target: { value: '   ' } });
    fireEvent.click(within(list).getByRole('button', { name: 'Save' }));
    expect(await within(list).findByText('Give this device a name.')).toBeTruthy();
    expect(main.callsTo('devices', 'renameThisDevice')).toEqual([]);
    fireEvent.change(field, { target: { value: ' Home desk ' } });
    fireEvent.click(within(list).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(list).getByRole('listitem', { name: 'Home desk' })).toBeTruthy());
    expect(main.callsTo('devices', 'renameThisDevice')).toEqual([{ name: 'Home desk' }]);
  });

  it('goes back to Settings with the back button or Escape, and Escape there closes', async () => {
    await openActiveSessions([device(1, 'Desk', true)]);
    fireEvent.click(screen.getByRole('button', { name: 'Back to Settings' }));
    expect(await screen.findByRole('dialog', { name: 'Settings' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Active sessions' }));
    await screen.findByRole('dialog', { name: 'Active sessions' });
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(await screen.findByRole('dialog', { name: 'Settings' })).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('a session ended from another device', () => {
  it('shows the sign-up screen with the notice and deletes that account history store', async () => {
    const signedIn = signedInAs('alice');
    const rendered = renderApp(signedIn);
    await screen.findByRole('button', { name: 'Settings' }, { timeout: LOADED_MACHINE_MS });
    const accountId = signedIn.state.account.accountId;
    // The history exists while signed in.
    expect((await indexedDB.databases()).map((database) => database.name)).toContain(`parley-history-${accountId}`);

    rendered.main.state = { status: 'signed_out', endedSession: { accountId } };
    rendered.main.emit('account', 'onDidChangeState', rendered.main.state);
    expect((await screen.findByRole('status')).textContent).toContain('session was ended');
    expect(screen.getByRole('button', { name: 'Create account' })).toBeTruthy();
    await waitFor(async () => expect((await indexedDB.databases()).map((database) => database.name)).not.toContain(`parley-history-${accountId}`));
  });
});
