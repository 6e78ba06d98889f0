// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp, signedInAs } from '../../testing/renderApp';

prepareAppTests();

describe('catch-up progress', () => {
  it('shows "Receiving N of M" with a progress bar while queued messages arrive, and is gone when caught up', async () => {
    const { main } = renderApp({ ...signedInAs('alice') });
    await screen.findByRole('list', { name: 'Chats' }, { timeout: 15_000 });
    expect(screen.queryByRole('status', { name: 'Receiving messages' })).toBeNull();
    await screen.findByText('No chats yet', undefined, { timeout: 15_000 });

    act(() => main.emit('messaging', 'onDidChangeCatchUp', { received: 3_400, total: 10_000, done: false }));
    const status = screen.getByRole('status', { name: 'Receiving messages' });
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('Receiving 3,400 of 10,000');
    const bar = within(status).getByRole('progressbar', { name: 'Messages received' });
    expect(bar.getAttribute('value')).toBe('3400');
    expect(bar.getAttribute('max')).toBe('10000');
    // Not "No chats yet" while the first chats are on their way.
    expect(screen.queryByText('No chats yet')).toBeNull();

    act(() => main.emit('messaging', 'onDidChangeCatchUp', { received: 10_000, total: 10_000, done: true }));
    expect(screen.queryByRole('status', { name: 'Receiving messages' })).toBeNull();
    expect(screen.getByText('No chats yet')).toBeTruthy();
  });

  it('shows a catch-up already under way when the page opens (main connected first)', async () => {
    const { main } = renderApp({ ...signedInAs('alice') });
    main.catchUp = { received: 120, total: 5_000, done: false };
    await screen.findByRole('list', { name: 'Chats' }, { timeout: 15_000 });
    await waitFor(() => expect(screen.getByRole('status', { name: 'Receiving messages' }).textContent).toBe('Receiving 120 of 5,000'));
    expect(main.callsTo('messaging', 'getCatchUpProgress')).toEqual([{}]);
  });
});
