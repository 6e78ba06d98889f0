import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice imports a vCard: bob, who verified his number, joins her contacts under her name for him; a broken file imports nothing', async ({ launchApp, server }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  // Bob adds his number (the development provider's code from the server's log).
  await bob.settings.open();
  await bob.settings.show('Privacy and security');
  await bob.settings.phoneNumber().fill('+46 8 123 456 78');
  await bob.settings.sendCode().click();
  const codeOf = () => server.output().flatMap((line) => /"event":"sms_code_development","code":"(\d{6})"/.exec(line)?.[1] ?? []).at(-1);
  await expect.poll(codeOf).toMatch(/^\d{6}$/);
  await bob.settings.code().fill(codeOf()!);
  await bob.settings.verify().click();
  await expect(bob.settings.removePhoneNumber()).toBeVisible();

  await alice.settings.open();
  await alice.settings.show('Privacy and security');
  await alice.settings.pickContactsFile('broken.vcf', 'BEGIN:VCARD\nFN:Bobby\nTEL:+46812345678\n');
  await expect(alice.settings.dialog().getByRole('alert')).toContainText('line 1');
  await expect(alice.settings.deleteSyncedContacts()).toBeDisabled();

  const vcard = ['BEGIN:VCARD', 'VERSION:3.0', 'N:Tables;Bobby;;;', 'TEL;TYPE=CELL:+46 8 123 456 78', 'END:VCARD', 'BEGIN:VCARD', 'FN:Dave', 'TEL:+1 202 555 0143', 'END:VCARD'].join('\r\n');
  await alice.settings.pickContactsFile('friends.vcf', vcard);
  await expect(alice.settings.dialog().getByRole('status').filter({ hasText: 'Imported 2 contacts; 1 on Parley' })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await alice.settings.close();

  // Bob is in her chat list under the name from her file, saying he joined.
  await expect(alice.chatList.chat('Bobby Tables')).toContainText('Joined Parley');
  await alice.chatList.chatButton('Bobby Tables').click();
  await expect(alice.conversation.removeFromContactsButton()).toBeVisible();

  await alice.settings.open();
  await alice.settings.show('Privacy and security');
  await alice.settings.deleteSyncedContacts().click();
  await expect(alice.settings.dialog().getByText('Your synced contacts are deleted from the server and this device.')).toBeVisible();
});
