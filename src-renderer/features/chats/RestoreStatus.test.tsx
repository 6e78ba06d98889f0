// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp, signedInAs } from '../../testing/renderApp';

prepareAppTests();

describe('restoring the history on a linked device', () => {
  it('shows "Restoring your history" with a progress bar while the archive comes in, and is gone when it is all in', async () => {
    const { main } = renderApp({ ...signedInAs('alice') });
    main.restore = { restored: 500, total: 100_000, done: false };
    await screen.findByRole('list', { name: 'Chats' }, { timeout: 15_000 });
    const status = await screen.findByRole('status', { name: 'Restoring history' });
    expect(status.textContent).toBe('Restoring your history from the archive: 500 of 100,000');
    expect(screen.queryByText('No chats yet')).toBeNull();

    act(() => main.emit('archive', 'onDidChangeRestore', { restored: 40_000, total: 100_000, done: false }));
    const bar = within(screen.getByRole('status', { name: 'Restoring history' })).getByRole('progressbar', { name: 'History restored' });
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['40000', '100000']);

    act(() => main.emit('archive', 'onDidChangeRestore', { restored: 100_000, total: 100_000, done: true }));
    expect(screen.queryByRole('status', { name: 'Restoring history' })).toBeNull();
    expect(main.callsTo('archive', 'getRestoreProgress')).toEqual([{}]);
  });
});
