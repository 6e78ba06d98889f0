// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { failure } from '../../../src-shared/ipc/result';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp, signedInAs } from '../../testing/renderApp';

prepareAppTests();

async function openSettings() {
  fireEvent.click(await screen.findByRole('button', { name: 'Settings' }, { timeout: 15_000 }));
  const dialog = await screen.findByRole('dialog', { name: 'Settings' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Data and storage' }));
  const box = await within(dialog).findByRole('checkbox', { name: 'Keep an encrypted archive on the server' });
  await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(false));
  return { dialog, box: box as HTMLInputElement };
}

describe('Keep an encrypted archive on the server', () => {
  it('shows what the server says, asks before switching it off, and switches it on in one click', async () => {
    const { main } = renderApp({ ...signedInAs('alice') });
    const { dialog, box } = await openSettings();
    expect(box.checked).toBe(true);

    fireEvent.click(box);
    const prompt = within(dialog).getByRole('alertdialog', { name: /Delete the archive on the server/ });
    fireEvent.click(within(prompt).getByRole('button', { name: 'Keep it' }));
    expect(box.checked).toBe(true);
    expect(main.callsTo('archive', 'setEnabled')).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(box));

    fireEvent.click(box);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete archive' }));
    await waitFor(() => expect(box.checked).toBe(false));
    expect(main.callsTo('archive', 'setEnabled')).toEqual([{ enabled: false }]);
    expect(main.archiveEnabled).toBe(false);

    fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(true));
    expect(main.callsTo('archive', 'setEnabled')).toEqual([{ enabled: false }, { enabled: true }]);
  });

  it('says so when the server cannot be asked, and keeps the box as it was when a switch fails', async () => {
    const { main } = renderApp({ ...signedInAs('alice') });
    main.archiveEnabled = false;
    main.override('archive', 'setEnabled', () => failure('unreachable', 'the server cannot be reached'));
    const { dialog, box } = await openSettings();
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    expect(await within(dialog).findByRole('alert')).toBeTruthy();
    expect(box.checked).toBe(false);
  });
});
