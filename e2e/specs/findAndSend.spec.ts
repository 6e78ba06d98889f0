import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice finds @bob, sends him a message, and bob sees it arrive', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');

  await alice.startChatWith('bob');
  await alice.send('Hello Bob, this is Alice.');
  await expect(alice.chatList.chat('bob')).toBeVisible();

  await expect(bob.chatList.chat('alice')).toContainText('Hello Bob, this is Alice.');
  await bob.openChatWith('alice');
  await expect(bob.conversation.message('Hello Bob, this is Alice.')).toBeVisible();
});
