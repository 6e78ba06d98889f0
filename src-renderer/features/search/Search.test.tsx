// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeUuid, incomingMessage } from '../../testing/fakeMain';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';
import { snippetOf } from './snippet';

prepareAppTests();

describe('search', () => {
  it('finds a person by @username; Enter starts the chat and selects it', async () => {
    const seed = aliceWithFriends();
    const dave = fakeUuid();
    const { main } = renderApp({ ...seed.options, directory: { ...seed.options.directory, dave } });
    const search = await screen.findByRole('textbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: '@Dave' } });
    await screen.findByRole('button', { name: /@dave/ });
    expect(main.callsTo('contacts', 'findByUsername')).toEqual([{ username: 'dave' }]);
    fireEvent.keyDown(search, { key: 'Enter' });
    await screen.findByRole('heading', { name: 'dave' });
    expect((search as HTMLInputElement).value).toBe('');
    const list = screen.getByRole('list', { name: 'Chats' });
    const row = await within(list).findByRole('button', { name: /^dave/ });
    expect(row.getAttribute('aria-current')).toBe('true');
  });

  it('says so when no one has the username, and explains a malformed one without asking', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    const search = await screen.findByRole('textbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: '@nobody_here' } });
    expect(await screen.findByText('No one has the username @nobody_here.')).toBeTruthy();
    fireEvent.change(search, { target: { value: '@9' } });
    expect(await screen.findByText('A username has at least 3 characters.')).toBeTruthy();
    expect(main.callsTo('contacts', 'findByUsername')).toEqual([{ username: 'nobody_here' }]);
  });

  it('searches the local history and opens the conversation at the hit; Escape clears', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    const old = incomingMessage(seed.carol, 'The Zeppelin tickets are booked', Date.now() - 40 * 24 * 3_600_000);
    main.inbox = [old, ...seed.inbox];
    main.emit('messaging', 'onDidReceive', null);
    await within(await screen.findByRole('list', { name: 'Chats' })).findByRole('button', { name: /^carol/ });
    const search = screen.getByRole('textbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: 'zeppel' } });
    const results = await screen.findByRole('list', { name: 'Search results' });
    const hit = await within(results).findByRole('button', { name: /carol/ });
    expect(hit.querySelector('mark')?.textContent).toBe('Zeppel');
    fireEvent.click(hit);
    await screen.findByRole('heading', { name: 'carol' });
    const log = screen.getByRole('log', { name: 'Messages' });
    const shown = await within(log).findByText('The Zeppelin tickets are booked');
    expect(shown.closest('.message')?.classList.contains('message--focused')).toBe(true);
    fireEvent.keyDown(search, { key: 'Escape' });
    expect((search as HTMLInputElement).value).toBe('');
    await screen.findByRole('list', { name: 'Chats' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' })));
  });
});

describe('search results', () => {
  it('shows the first screenful at once, then every hit up to fifty, newest first', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    const day = 24 * 3_600_000;
    const hits = Array.from({ length: 60 }, (_, index) => incomingMessage(seed.carol, `Pelican number ${index}`, Date.now() - (index + 1) * day));
    main.inbox = [...hits, ...seed.inbox];
    main.emit('messaging', 'onDidReceive', null);
    await within(await screen.findByRole('list', { name: 'Chats' })).findByRole('button', { name: /^carol/ });
    fireEvent.change(screen.getByRole('textbox', { name: 'Search' }), { target: { value: 'pelican' } });
    const results = await screen.findByRole('list', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('button')).toHaveLength(50));
    const rows = within(results).getAllByRole('button');
    expect(rows[0]?.textContent).toContain('Pelican number 0');
    expect(rows[49]?.textContent).toContain('Pelican number 49');
    expect(screen.getByRole('status').textContent).toBe('50 messages');
  });
});

describe('snippets', () => {
  it('marks matches at word starts, ignoring case and accents, around the first one', () => {
    expect(snippetOf('Meet at the Café at noon', 'cafe')).toEqual([
      { text: 'Meet at the ', match: false },
      { text: 'Café', match: true },
      { text: ' at noon', match: false },
    ]);
    const long = `${'filler '.repeat(30)}needle here`;
    const parts = snippetOf(long, 'needle');
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.find((part) => part.match)?.text).toBe('needle');
    expect(snippetOf('seedless', 'needle').some((part) => part.match)).toBe(false);
  });
});
