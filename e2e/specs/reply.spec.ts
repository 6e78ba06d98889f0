import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('bob sees alice\'s message and replies; alice sees the reply under her message', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Are you coming tonight?');

  await bob.openChatWith('alice');
  await expect(bob.conversation.message('Are you coming tonight?')).toBeVisible();
  await bob.send('Yes, see you at eight.');

  const aliceMessages = alice.conversation.messages();
  await expect(alice.conversation.message('Yes, see you at eight.')).toBeVisible();
  await expect(aliceMessages).toHaveCount(2);
  await expect(aliceMessages.nth(0)).toContainText('Are you coming tonight?');
  await expect(aliceMessages.nth(1)).toContainText('Yes, see you at eight.');
});
