// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends } from '../../testing/seed';

prepareAppTests();

const pick = (container: HTMLElement, text: string, name: string) => {
  const input = container.ownerDocument.querySelector<HTMLInputElement>('input[type="file"][accept*="vcf"]')!;
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/vcard' })] } });
};

describe('importing contacts (B2)', () => {
  it('imports a picked file, says who is on Parley, refuses a malformed one with its line, and deletes the synced contacts', async () => {
    const seed = aliceWithFriends();
    const { main, container } = renderApp(seed.options);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Privacy and security' }));
    expect(within(dialog).getByRole('button', { name: 'Delete synced contacts' })).toHaveProperty('disabled', true);
    within(dialog).getByRole('button', { name: 'Import contacts' });

    pick(container, 'BEGIN:VCARD\nBROKEN\nEND:VCARD', 'broken.vcf');
    expect((await within(dialog).findByRole('alert')).textContent).toContain('line 2');
    expect(main.importedContacts).toBe(0);

    pick(container, 'BEGIN:VCARD\nN:Tables;Bobby\nTEL:+46812345678\nEND:VCARD\nBEGIN:VCARD\nFN:Dave\nTEL:+12025550143\nEND:VCARD', 'friends.vcf');
    await within(dialog).findByText('Imported 2 contacts; 1 on Parley; 0 skipped (no number with a country code).');
    expect(main.callsTo('contacts', 'importFile')).toHaveLength(2);

    const remove = within(dialog).getByRole('button', { name: 'Delete synced contacts' });
    await waitFor(() => expect(remove).toHaveProperty('disabled', false));
    fireEvent.click(remove);
    await within(dialog).findByText('Your synced contacts are deleted from the server and this device.');
    expect(main.importedContacts).toBe(0);
  });

  it('shows someone from my imported contacts who joined in the chat list', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = [{ inboxId: 'joined:x', kind: 'contact_joined', accountId: seed.carol, username: 'carol', name: 'Carol C' }];
    main.emit('messaging', 'onDidReceive', null);
    const list = await screen.findByRole('list', { name: 'Chats' });
    const row = await within(list).findByRole('button', { name: /carol/ });
    expect(row.textContent).toContain('Joined Parley');
  });
});
