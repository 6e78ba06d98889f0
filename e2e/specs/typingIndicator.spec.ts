import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('bob sees that alice is typing while she types, and stops seeing it once she sends', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Hi');
  await bob.openChatWith('alice');
  await expect(bob.conversation.typingIndicator()).toBeHidden();

  await alice.conversation.composer().pressSequentially('I am writing you something long');
  await expect(bob.conversation.typingIndicator()).toBeVisible();

  await alice.conversation.composer().press('Enter');
  await expect(bob.conversation.message('I am writing you something long')).toBeVisible();
  await expect(bob.conversation.typingIndicator()).toBeHidden();
});
