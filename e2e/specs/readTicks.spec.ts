import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice\'s ticks go from sent to delivered while bob is elsewhere, and to read when he opens the chat', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Did you get this?');
  const message = alice.conversation.message('Did you get this?');

  // Bob's app is open on his chat list: the message reaches his device but nobody reads it yet.
  await expect(bob.chatList.chat('alice')).toContainText('Did you get this?');
  await expect(alice.conversation.tick(message, 'Delivered')).toBeVisible();
  await expect(alice.conversation.tick(message, 'Read')).toHaveCount(0);

  await bob.openChatWith('alice');
  await expect(alice.conversation.tick(message, 'Read')).toBeVisible();
});
