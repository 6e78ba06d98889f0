import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

test('alice and bob each create an account on a fresh profile and reach their chat list', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');

  for (const person of [alice, bob]) {
    await expect(person.chatList.list()).toBeAttached();
    await expect(person.chatList.chats()).toHaveCount(0);
    await expect(person.page.getByText('No chats yet')).toBeVisible();
    await expect(person.conversation.composer()).toHaveCount(0);
  }
});
