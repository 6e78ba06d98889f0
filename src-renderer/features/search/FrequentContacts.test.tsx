// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { frequentContacts } from '../../data/frequentContacts';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends, openHistoryOf } from '../../testing/seed';

prepareAppTests();

const sendTo = async (name: RegExp, texts: string[]) => {
  const list = await screen.findByRole('list', { name: 'Chats' });
  fireEvent.click(await within(list).findByRole('button', { name }));
  for (const text of texts) {
    const composer = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(composer, { target: { value: text } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await within(await screen.findByRole('log', { name: 'Messages' })).findByText(text);
  }
};

describe('frequent contacts (B4)', () => {
  it('suggests the people I write to most first in Search, and switching it off deletes the ranking', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    await sendTo(/^carol/, ['one for carol']);
    await sendTo(/^bob/, ['one for bob', 'two for bob', 'three for bob']);

    const search = screen.getByRole('textbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: '@' } });
    const frequent = await screen.findByRole('list', { name: 'Frequent contacts' });
    await waitFor(() => expect(within(frequent).getAllByRole('button').map((button) => button.textContent)).toEqual(['Bbob@bob', 'Ccarol@carol']));
    fireEvent.change(search, { target: { value: 'car' } });
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Frequent contacts' })).getAllByRole('button')).toHaveLength(1));
    fireEvent.click(within(screen.getByRole('list', { name: 'Frequent contacts' })).getByRole('button'));
    await screen.findByRole('heading', { name: 'carol' });

    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Privacy and security' }));
    const checkbox = within(dialog).getByRole('checkbox', { name: 'Suggest frequent contacts' }) as HTMLInputElement;
    expect(checkbox.checked).toBe(true);
    fireEvent.click(checkbox);
    await waitFor(() => expect(main.preferences.suggestFrequent).toBe(false));
    const history = await openHistoryOf(seed.account.accountId);
    await waitFor(async () => expect(await frequentContacts(history, Date.now())).toEqual([]));
    history.close();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close settings' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Search' }), { target: { value: '@' } });
    await screen.findByText(/Type a username after @/);
    expect(screen.queryByRole('list', { name: 'Frequent contacts' })).toBeNull();
  });
});
