// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();

describe('saved contact names (A5)', () => {
  it('a name saved from the chat header shows in the header and the chat list; an empty one brings theirs back', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    const list = await screen.findByRole('list', { name: 'Chats' });
    fireEvent.click(await within(list).findByRole('button', { name: /^bob/ }));
    const header = (await screen.findByRole('heading', { name: 'bob' })).closest('header')!;

    fireEvent.click(await within(header).findByRole('button', { name: 'Rename contact' }));
    const field = within(header).getByRole('textbox', { name: 'Saved name' }) as HTMLInputElement;
    expect(field.value).toBe('bob');
    fireEvent.change(field, { target: { value: '  Bobby from work  ' } });
    fireEvent.click(within(header).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(main.callsTo('preferences', 'change')).toEqual([{ changes: [{ key: 'contactName', accountId: seed.bob, value: 'Bobby from work' }] }]),
    );
    await screen.findByRole('heading', { name: 'Bobby from work' });
    expect(within(header).queryByRole('textbox', { name: 'Saved name' })).toBeNull();
    await within(list).findByRole('button', { name: /^Bobby from work/ });

    // Escape closes without saving.
    fireEvent.click(within(header).getByRole('button', { name: 'Rename contact' }));
    const again = within(header).getByRole('textbox', { name: 'Saved name' }) as HTMLInputElement;
    expect(again.value).toBe('Bobby from work');
    fireEvent.keyDown(again, { key: 'Escape' });
    expect(within(header).queryByRole('textbox', { name: 'Saved name' })).toBeNull();
    expect(main.callsTo('preferences', 'change')).toHaveLength(1);

    fireEvent.click(within(header).getByRole('button', { name: 'Rename contact' }));
    fireEvent.change(within(header).getByRole('textbox', { name: 'Saved name' }), { target: { value: '' } });
    fireEvent.click(within(header).getByRole('button', { name: 'Save' }));
    await screen.findByRole('heading', { name: 'bob' });
    expect(main.preferences.contactNames).toEqual({});
  });

  it('follows a name saved on another device', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    const list = await screen.findByRole('list', { name: 'Chats' });
    await within(list).findByRole('button', { name: /^bob/ });
    main.preferences = { ...main.preferences, contactNames: { [seed.bob]: 'Robert' } };
    main.emit('preferences', 'onDidChange', main.preferences);
    await within(list).findByRole('button', { name: /^Robert/ });
  });
});
