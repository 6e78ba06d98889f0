import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

const COUNT = 50;
const texts = Array.from({ length: COUNT }, (_, index) => `Queued message ${String(index + 1).padStart(2, '0')} of ${COUNT}`);

test('bob has closed the app while alice sends 50 messages; when he opens it he sees all 50 in order', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await alice.startChatWith('bob');
  await alice.send('Before you go');
  await expect(bob.chatList.chat('alice')).toContainText('Before you go');

  await bob.app.close();
  for (const text of texts) await alice.send(text);
  // Every one is on the server before bob comes back.
  const lastMessage = alice.conversation.message(texts[COUNT - 1]!);
  await expect(alice.conversation.tick(lastMessage, 'Sent')).toBeVisible();

  await bob.restartApp();
  await expect(bob.chatList.chat('alice')).toContainText(texts[COUNT - 1]!);
  await bob.openChatWith('alice');
  expect(await bob.conversation.readAllMessageTexts()).toEqual(['Before you go', ...texts]);
});
