import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice edits her profile and her @username, and bob, whom she writes to, sees both', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Hello from alice');
  await expect(bob.chatList.chat('alice')).toBeVisible();
  // B4: bob, whom she wrote to, is suggested first when she types his name's start.
  await alice.search.box().fill('@b');
  await expect(alice.page.getByRole('list', { name: 'Frequent contacts' }).getByRole('button')).toContainText('@bob');
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await alice.search.clear();

  await alice.settings.open();
  await alice.settings.show('Edit profile');
  await alice.settings.displayName().fill('Alice Liddell');
  await alice.settings.bio().fill('Curiouser and curiouser');
  await alice.settings.saveProfile().click();
  await expect(alice.settings.dialog().getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });

  // The key reached bob end to end with the nudge; his app fetched and opened the sealed profile.
  await expect(bob.chatList.chats().filter({ hasText: 'Alice Liddell' })).toHaveCount(1);
  // A new @username (A3): the old one is released, bob's app learns the new one from the server.
  await alice.settings.username().fill('alice_liddell');
  await alice.settings.saveProfile().click();
  await expect(alice.settings.dialog().getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(alice.settings.dialog().getByText('@alice_liddell')).toBeVisible();
  await bob.chatList.chatButton('Alice Liddell').click();
  await expect(bob.conversation.header()).toContainText('@alice_liddell');

  // And it stays after a reload of alice's own app.
  await alice.page.reload();
  await alice.settings.open();
  await expect(alice.settings.displayName()).toHaveValue('Alice Liddell');
  await expect(alice.settings.username()).toHaveValue('alice_liddell');
});
