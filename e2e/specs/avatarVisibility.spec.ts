import sharp from 'sharp';
import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice picks an avatar that bob, her contact, sees; set to Nobody, he no longer does', async ({ launchApp }, testInfo) => {
  const photo = testInfo.outputPath('alice.jpg');
  await sharp({ create: { width: 900, height: 600, channels: 3, background: '#d04a6a' } })
    .composite([{ input: { create: { width: 300, height: 300, channels: 3, background: '#ffffff' } }, left: 300, top: 150 }])
    .jpeg()
    .toFile(photo);
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Hello from alice');
  await expect(bob.chatList.chat('alice')).toBeVisible();
  await alice.conversation.addToContactsButton().click();
  await expect(alice.conversation.removeFromContactsButton()).toBeVisible();

  await alice.settings.open();
  await alice.settings.show('Edit profile');
  await alice.settings.pickAvatar(photo);
  await expect(alice.settings.dialog().getByRole('status').filter({ hasText: 'Your avatar is set.' })).toBeVisible();
  await expect(alice.settings.ownAvatarImage()).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });

  // Her contact gets the avatar key end to end; his app fetches and opens the sealed picture.
  await expect(bob.chatList.avatarImage('alice')).toBeVisible();

  await alice.settings.show('Privacy and security');
  await expect(alice.settings.avatarVisibleTo('My contacts')).toBeChecked();
  await alice.settings.avatarVisibleTo('Nobody').click();
  await expect(alice.settings.avatarVisibleTo('Nobody')).toBeChecked();
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  // The key is rotated past him and his devices are told to drop the picture: initials again.
  await expect(bob.chatList.avatarImage('alice')).toHaveCount(0);
  await expect(bob.chatList.chat('alice').locator('.avatar')).toHaveText('A');

  // Her own picture stays hers, across a reload.
  await alice.page.reload();
  await alice.settings.open();
  await expect(alice.settings.ownAvatarImage()).toBeVisible();
});
