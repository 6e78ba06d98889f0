// @vitest-environment jsdom
import '../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../testing/appTestSetup';
import { renderApp, signedInAs } from '../testing/renderApp';

prepareAppTests();

const OFFLINE = 'Offline. Messages you send wait and go out once connected.';

describe('connection notice', () => {
  it('says the app is offline when it opens offline, before any change is reported', async () => {
    const { main } = renderApp({ ...signedInAs('alice') });
    main.connection = 'closed';
    await screen.findByRole('list', { name: 'Chats' });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(OFFLINE));
    expect(main.callsTo('messaging', 'getConnectionStatus')).toEqual([{}]);
  });

  it('follows the reported changes: connecting, then gone once open', async () => {
    const { main } = renderApp({ ...signedInAs('alice') });
    await screen.findByRole('list', { name: 'Chats' });
    act(() => main.emit('messaging', 'onDidChangeConnection', 'connecting'));
    expect(screen.getByRole('status').textContent).toBe('Connecting… Messages you send wait and go out once connected.');
    act(() => main.emit('messaging', 'onDidChangeConnection', 'open'));
    expect(screen.queryByText(/Messages you send wait/)).toBeNull();
  });
});
