import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CliProfile } from '../fixtures/cliProfile';
import { Person, signedUp } from '../fixtures/person';
import { expectNoSeriousViolations } from '../fixtures/accessibility';
import { expect, test } from '../fixtures/test';
import { ActiveSessionsPage } from '../pages/ActiveSessionsPage';
import { LinkThisDevicePage } from '../pages/LinkThisDevicePage';

test('alice links her laptop from her desk: it shows the history from before, both receive, a secret chat stays on the desk, Active sessions lists both, and ending the laptop’s session wipes it', async ({
  launchApp,
  server,
}) => {
  test.setTimeout(180_000);
  const desk = await signedUp(launchApp, 'alice');
  const bob = await CliProfile.register('bob', server.url);
  try {
    // History from before the link: bob writes, the desk answers.
    await bob.sendMany('alice', ['Written before the laptop existed']);
    await expect(desk.chatList.chat('bob')).toContainText('Written before the laptop existed');
    await desk.openChatWith('bob');
    await desk.send('Answered from the desk');
    await desk.settings.open();
    await desk.settings.show('Data and storage');
    await expect(desk.settings.keepArchive()).toBeChecked();
    await expectNoSeriousViolations(desk.page);
    await desk.settings.close();

    const laptop = new Person(await launchApp('alice-laptop'), 'alice');

    const linking = new LinkThisDevicePage(laptop.page);
    const code = await linking.requestCode('laptop only password');
    expect(code).toMatch(/^parley-link:/);
    await expect(linking.qr()).toBeVisible();
    await expectNoSeriousViolations(laptop.page);

    await desk.settings.open();
    const sessions = new ActiveSessionsPage(desk.page);
    await sessions.open();
    await expect(sessions.devices()).toHaveCount(1);
    await sessions.link(code);
    await laptop.expectSignedIn();
    // The laptop restores the archive: the conversation from before the link is there, read.
    await expect(laptop.chatList.chat('bob')).toContainText('Answered from the desk');
    await expect(laptop.chatList.restoreStatus()).toHaveCount(0);
    await laptop.openChatWith('bob');
    await expect(laptop.conversation.messageText('Written before the laptop existed')).toBeVisible();
    await expect(laptop.conversation.messageText('Answered from the desk')).toBeVisible();
    await expect(sessions.devices()).toHaveCount(2);
    await expect(sessions.thisDevice()).toHaveCount(1);
    await expect(sessions.devices().first()).toContainText('This device');
    await expectNoSeriousViolations(desk.page);

    // A secret chat with bob lives on the desk (and one device of bob's) only (C4).
    await desk.page.getByRole('button', { name: 'Close settings' }).click();
    await desk.openChatWith('bob');
    await desk.conversation.startSecretChatButton().click();
    await expect(desk.conversation.header()).toContainText('Secret chat');
    await desk.send('Only on this desk');
    await expect(desk.chatList.secretChat('bob')).toHaveCount(1);
    await expectNoSeriousViolations(desk.page);

    // A message to alice reaches both of her devices; by then the secret one would have reached the laptop too.
    await bob.sendMany('alice', ['Hello to both of your devices']);
    for (const device of [desk, laptop]) await expect(device.chatList.chat('bob')).toContainText('Hello to both of your devices');
    await expect(laptop.chatList.chats().filter({ hasText: 'Secret chat' })).toHaveCount(0);
    await expect(laptop.page.getByText('Only on this desk')).toHaveCount(0);
    await desk.settings.open();
    await sessions.open();

    // The desk ends the laptop's session: the laptop is told, wipes itself and says why.
    const laptopItem = sessions.devices().nth(1);
    const laptopName = (await laptopItem.getAttribute('aria-label'))!;
    await sessions.terminate(laptopName);
    await expect(sessions.devices()).toHaveCount(1);
    await expect(laptop.page.getByText('session was ended', { exact: false })).toBeVisible();
    await expect(laptop.signUpPage.createAccount()).toBeVisible();
    expect(existsSync(join(laptop.app.profileDir, 'vault.sqlite'))).toBe(false);
    expect(readdirSync(laptop.app.profileDir).filter((name) => name.startsWith('vault'))).toEqual([]);
    const databases = await laptop.page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name));
    expect(databases.filter((name) => name?.startsWith('parley-history-'))).toEqual([]);
    await expectNoSeriousViolations(laptop.page);
  } finally {
    bob.dispose();
  }
});
