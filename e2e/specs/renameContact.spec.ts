import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice saves a name for bob: it replaces his own everywhere in her app, survives a reload, and clearing it brings his back', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await bob.startChatWith('alice');
  await bob.send('Hello from bob');
  await alice.openChatWith('bob');
  await expect(alice.conversation.message('Hello from bob')).toBeVisible();

  await alice.conversation.renameContactButton().click();
  await expect(alice.conversation.savedNameField()).toHaveValue('bob');
  for (const colorScheme of ['light', 'dark'] as const) {
    await alice.page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(alice.page);
  }
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await alice.conversation.savedNameField().fill('Bob from the band');
  await alice.conversation.saveNameButton().click();
  await expect(alice.conversation.title()).toHaveText('Bob from the band');
  await expect(alice.chatList.chat('Bob from the band')).toHaveCount(1);
  // For alice only: bob's own app still calls alice by her name, and nobody else learns the saved one.
  await expect(bob.conversation.title()).toHaveText('alice');

  await alice.page.reload();
  await expect(alice.chatList.chat('Bob from the band')).toHaveCount(1);
  await alice.chatList.chatButton('Bob from the band').click();
  await expect(alice.conversation.title()).toHaveText('Bob from the band');

  await alice.conversation.saveContactName('');
  await expect(alice.conversation.title()).toHaveText('bob');
  await expect(alice.chatList.chat('Bob from the band')).toHaveCount(0);
});
