import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice blocks bob from the chat header: his next message never shows on her side, and Unblock in Settings lets him through again', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await bob.startChatWith('alice');
  await bob.send('Before the block');
  await alice.openChatWith('bob');
  await expect(alice.conversation.message('Before the block')).toBeVisible();

  await alice.conversation.blockButton().click();
  await expect(alice.conversation.unblockButton()).toBeVisible();
  await expect(alice.conversation.composer()).toHaveCount(0);
  await expect(alice.conversation.region()).toContainText('You blocked bob');
  await expectNoSeriousViolations(alice.page);

  await bob.send('While you had me blocked');
  await expect(bob.conversation.tick(bob.conversation.message('While you had me blocked'), 'Sent')).toBeVisible();

  // Settings → Privacy and security lists him; Who can call me is set there too; both in both themes pass axe.
  await alice.settings.open();
  await alice.settings.show('Privacy and security');
  await expect(alice.settings.blockedUsers().getByRole('listitem')).toHaveCount(1);
  await expect(alice.settings.blockedUsers()).toContainText('@bob');
  await expect(alice.settings.whoCanCall('My contacts')).toBeChecked();
  // A controlled radio: checked once main has answered, so click and wait (check() wants the change at once).
  await alice.settings.whoCanCall('Nobody').click();
  await expect(alice.settings.whoCanCall('Nobody')).toBeChecked();
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await alice.settings.blockedUsers().getByRole('button', { name: 'Unblock' }).click();
  await expect(alice.settings.blockedUsers().getByRole('listitem')).toHaveCount(0);
  await alice.settings.close();

  // The setting and the unblock survive a reload; bob's next message arrives, the blocked one never does.
  await alice.page.reload();
  await alice.openChatWith('bob');
  await expect(alice.conversation.blockButton()).toBeVisible();
  await bob.send('After the unblock');
  await expect(alice.conversation.message('After the unblock')).toBeVisible();
  await expect(alice.conversation.message('While you had me blocked')).toHaveCount(0);
  await expect(bob.conversation.tick(bob.conversation.message('While you had me blocked'), 'Sent')).toBeVisible();
  await alice.settings.open();
  await alice.settings.show('Privacy and security');
  await expect(alice.settings.whoCanCall('Nobody')).toBeChecked();
});
