import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';
import { SHORTCUTS } from '../pages/shortcuts';

test('keyboard shortcuts focus Search, move to the next and previous chat, and focus the composer', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  const carol = await signedUp(launchApp, 'carol');
  await bob.startChatWith('alice');
  await bob.send('From bob');
  await carol.startChatWith('alice');
  await carol.send('From carol');
  // Newest first: carol, then bob.
  await expect(alice.chatList.chats()).toHaveCount(2);
  await expect(alice.chatList.chats().nth(0)).toContainText('carol');
  await expect(alice.chatList.chats().nth(1)).toContainText('bob');
  const page = alice.page;

  await page.keyboard.press(SHORTCUTS.focusSearch);
  await expect(alice.search.box()).toBeFocused();

  await page.keyboard.press('Escape');
  await page.keyboard.press(SHORTCUTS.nextChat);
  await expect(alice.conversation.message('From carol')).toBeVisible();
  await page.keyboard.press(SHORTCUTS.nextChat);
  await expect(alice.conversation.message('From bob')).toBeVisible();
  await page.keyboard.press(SHORTCUTS.previousChat);
  await expect(alice.conversation.message('From carol')).toBeVisible();

  await alice.search.box().focus();
  await page.keyboard.press(SHORTCUTS.focusComposer);
  await expect(alice.conversation.composer()).toBeFocused();
  await page.keyboard.type('typed straight away');
  await page.keyboard.press('Enter');
  await expect(carol.conversation.message('typed straight away')).toBeVisible();
});
