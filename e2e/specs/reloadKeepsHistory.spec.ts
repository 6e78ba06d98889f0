import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice reloads the page, then quits and restarts the app: her history is still there', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('First, from alice');
  await bob.openChatWith('alice');
  await bob.send('Second, from bob');
  await expect(alice.conversation.message('Second, from bob')).toBeVisible();

  await alice.page.reload();
  await expect(alice.chatList.chat('bob')).toBeVisible();
  await alice.openChatWith('bob');
  await expect(alice.conversation.messages()).toHaveCount(2);
  await expect(alice.conversation.messages().nth(0)).toContainText('First, from alice');
  await expect(alice.conversation.messages().nth(1)).toContainText('Second, from bob');

  await alice.restartApp();
  await expect(alice.chatList.chat('bob')).toContainText('Second, from bob');
  await alice.openChatWith('bob');
  await expect(alice.conversation.messages()).toHaveCount(2);
  await expect(alice.conversation.messages().nth(0)).toContainText('First, from alice');
  await expect(alice.conversation.messages().nth(1)).toContainText('Second, from bob');
});
