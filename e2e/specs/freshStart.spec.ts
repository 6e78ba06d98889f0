import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { Person, signedUp, TEST_PASSWORD } from '../fixtures/person';
import { expect, test } from '../fixtures/test';
import { SignInWithoutDevicePage } from '../pages/SignInWithoutDevicePage';

test('alice signs in with her password on a new machine: it names her desk, explains the history stays there, and starting fresh ends the desk and shows bob a changed safety number', async ({
  launchApp,
}) => {
  test.setTimeout(180_000);
  const desk = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  await bob.startChatWith('alice');
  await bob.send('Written to the old desk');
  await expect(desk.chatList.chat('bob')).toContainText('Written to the old desk');

  const machine = new Person(await launchApp('alice-new-machine'), 'alice');
  const signIn = new SignInWithoutDevicePage(machine.page);
  await signIn.startButton().click();
  await expect(signIn.continueButton()).toBeVisible();
  await expectNoSeriousViolations(machine.page);
  await signIn.username().fill('alice');
  await signIn.password().fill(TEST_PASSWORD);
  await signIn.continueButton().click();
  await expect(signIn.signedInDevices('alice')).toHaveCount(1);
  await expect(signIn.signedInDevices('alice').first()).toContainText('Parley desktop');
  await expect(signIn.linkInsteadButton()).toBeVisible();
  await expectNoSeriousViolations(machine.page);

  await signIn.startFreshButton().click();
  await expect(signIn.confirmPrompt()).toContainText('safety number changed');
  await expectNoSeriousViolations(machine.page);
  await signIn.confirmButton().click();
  await machine.expectSignedIn();

  // The desk is cut off and wiped, as a terminated session is.
  await expect(desk.page.getByText('session was ended', { exact: false })).toBeVisible();
  await expect(desk.signUpPage.createAccount()).toBeVisible();

  // The new machine starts with nothing from before; bob reaches it under the new keys, and is told they changed.
  await expect(machine.chatList.chats()).toHaveCount(0);
  await bob.send('Welcome back');
  await expect(machine.chatList.chat('bob')).toContainText('Welcome back');
  await machine.openChatWith('bob');
  await expect(machine.conversation.messageText('Written to the old desk')).toHaveCount(0);
  await machine.send('Same me, new keys');
  await expect(bob.conversation.messageText('Same me, new keys')).toBeVisible();
  await expect(bob.conversation.identityChangedNotice()).toContainText('Your safety number with alice changed today');
  await expectNoSeriousViolations(bob.page);
  await bob.conversation.identityChangedNotice().getByRole('button', { name: 'Dismiss' }).click();
  await expect(bob.conversation.identityChangedNotice()).toHaveCount(0);
});
