import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { REPOSITORY_ROOT } from '../fixtures/repository';
import { Person, signedUp, TEST_PASSWORD } from '../fixtures/person';
import { expect, test } from '../fixtures/test';
import { ActiveSessionsPage } from '../pages/ActiveSessionsPage';
import { LinkThisDevicePage } from '../pages/LinkThisDevicePage';
import { SignInWithoutDevicePage } from '../pages/SignInWithoutDevicePage';
import { seedArchive } from '../../integration/harness/archiveSeeder';
import { TemporaryDirectories } from '../../integration/harness/temporaryDirectory';
import { TestDevice } from '../../integration/harness/testDevice';

const THEMES = ['light', 'dark'] as const;
const SIZE = { width: 1280, height: 800 };
const FOLDER = join(REPOSITORY_ROOT, 'docs/screenshots');

/** Takes `screen` in both themes; the app follows the OS theme (its Settings default). */
async function shoot(page: Page, screen: string) {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator(':root')).toHaveAttribute('data-theme', theme);
    await page.screenshot({ path: join(FOLDER, `${screen}-${theme}.png`), animations: 'disabled', caret: 'hide' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A picture to pick as an avatar: a landscape of two colours with a sun, drawn as SVG and written as PNG. */
async function picture(path: string, sky: string, ground: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="600" height="400" fill="${sky}"/><circle cx="300" cy="170" r="70" fill="#ffd25a"/><rect y="250" width="600" height="150" fill="${ground}"/></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
  return path;
}

test('every screen, light and dark', async ({ launchApp, server }, testInfo) => {
  mkdirSync(FOLDER, { recursive: true });
  const aliceApp = await launchApp('alice', { viewport: SIZE });
  const alice = new Person(aliceApp, 'alice');
  await expect(alice.signUpPage.createAccount()).toBeVisible();
  await shoot(alice.page, 'sign-up');
  await alice.signUp();

  const bob = await signedUp((name) => launchApp(name, { viewport: SIZE }), 'bob');
  const carol = await signedUp((name) => launchApp(name, { viewport: SIZE }), 'carol');
  await carol.startChatWith('alice');
  await carol.send('Are we still on for the trip planning call tomorrow?');
  await bob.startChatWith('alice');
  // Bob's avatar (A4) reaches alice, one of his contacts.
  await bob.conversation.addToContactsButton().click();
  await bob.settings.open();
  await bob.settings.pickAvatar(await picture(testInfo.outputPath('bob.png'), '#5a8fd8', '#3c7a4a'));
  await expect(bob.settings.ownAvatarImage()).toBeVisible();
  await bob.settings.close();
  await bob.send('Hi Alice! Did you see the photos from the harbour?');
  await bob.send('The pelican one is my favourite 🐦');
  await alice.openChatWith('bob');
  await alice.send('Yes! They are wonderful. Which camera did you use?');
  await bob.send('Just my phone, believe it or not.');
  await expect(alice.conversation.message('Just my phone, believe it or not.')).toBeVisible();
  await alice.conversation.composer().fill('A draft in progress…');
  await expect(alice.chatList.avatarImage('bob')).toBeVisible();
  await shoot(alice.page, 'chat');

  await alice.search.searchMessages('pelican');
  await expect(alice.search.messageResults()).toHaveCount(1);
  await shoot(alice.page, 'search');
  await alice.search.box().fill('');
  // Frequent contacts (B4) first when a name is typed: alice has written to bob.
  await alice.search.box().fill('@b');
  await expect(alice.page.getByRole('list', { name: 'Frequent contacts' })).toBeVisible();
  await shoot(alice.page, 'search-frequent');
  await alice.search.box().fill('');

  // A secret chat with bob (C4), on this device and bob's only.
  await alice.openChatWith('bob');
  await alice.conversation.startSecretChatButton().click();
  await expect(alice.conversation.header()).toContainText('Secret chat');
  await alice.send('This one stays on our two devices.');
  await expect(bob.chatList.secretChat('alice')).toHaveCount(1);
  await bob.chatList.secretChat('alice').getByRole('button').click();
  await bob.send('Understood. Nothing here is archived.');
  await expect(alice.conversation.message('Understood. Nothing here is archived.')).toBeVisible();
  await shoot(alice.page, 'secret-chat');
  await alice.openChatWith('bob');

  await alice.settings.open();
  await expect(alice.settings.dialog()).toBeVisible();
  await alice.settings.displayName().fill('Alice Liddell');
  await alice.settings.bio().fill('Curiouser and curiouser. Harbour photos on weekends.');
  await alice.settings.saveProfile().click();
  await expect(alice.settings.dialog().getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await alice.settings.pickAvatar(await picture(testInfo.outputPath('alice.png'), '#e07a5f', '#7a4a8c'));
  await expect(alice.settings.ownAvatarImage()).toBeVisible();
  await shoot(alice.page, 'settings');
  await alice.settings.show('Appearance');
  await shoot(alice.page, 'settings-appearance');
  await alice.settings.show('Shortcuts');
  await shoot(alice.page, 'settings-shortcuts');
  await alice.settings.show('Data and storage');
  await shoot(alice.page, 'settings-data');
  // Switching the archive off asks first (C7); kept on here.
  await alice.settings.keepArchive().click();
  await expect(alice.page.getByRole('alertdialog')).toBeVisible();
  await shoot(alice.page, 'archive-off-confirm');
  await alice.page.getByRole('button', { name: 'Keep it' }).click();
  await expect(alice.settings.keepArchive()).toBeChecked();

  // Blocking (B3): carol's chat with the note where the composer was, then Privacy and security listing her.
  await alice.settings.close();
  await alice.openChatWith('carol');
  // A saved name (A5): the form open over the header.
  await alice.conversation.renameContactButton().click();
  await alice.conversation.savedNameField().fill('Carol (neighbour)');
  await shoot(alice.page, 'rename-contact');
  await alice.page.keyboard.press('Escape');
  await alice.conversation.blockButton().click();
  await expect(alice.conversation.unblockButton()).toBeVisible();
  await shoot(alice.page, 'blocked-chat');
  await alice.settings.open();
  await alice.settings.show('Privacy and security');
  await expect(alice.settings.blockedUsers().getByRole('listitem')).toHaveCount(1);
  // A phone number (H3): the code asked for, then verified.
  await alice.settings.phoneNumber().fill('+44 20 7946 0958');
  await alice.settings.sendCode().click();
  await expect(alice.settings.code()).toBeVisible();
  const codeOf = () => server.output().flatMap((line) => /"event":"sms_code_development","code":"(\d{6})"/.exec(line)?.[1] ?? []).at(-1);
  await expect.poll(codeOf).toMatch(/^\d{6}$/);
  await alice.settings.code().fill(codeOf()!);
  await shoot(alice.page, 'phone-code');
  await alice.settings.verify().click();
  await expect(alice.settings.removePhoneNumber()).toBeVisible();
  await shoot(alice.page, 'settings-privacy');
  await alice.settings.blockedUsers().scrollIntoViewIfNeeded();
  await shoot(alice.page, 'settings-privacy-blocked');
  await alice.settings.blockedUsers().getByRole('button', { name: 'Unblock' }).click();
  await expect(alice.settings.blockedUsers().getByRole('listitem')).toHaveCount(0);
  await alice.settings.close();
  await alice.openChatWith('bob');
  await alice.settings.open();

  // Linking a laptop (C5): its code, the desk's confirmation, Active sessions with both (A9).
  const laptop = new Person(await launchApp('alice-laptop', { viewport: SIZE }), 'alice');
  const linking = new LinkThisDevicePage(laptop.page);
  const code = await linking.requestCode('laptop only password');
  await expect(linking.qr()).toBeVisible();
  await shoot(laptop.page, 'link-code');
  const sessions = new ActiveSessionsPage(alice.page);
  await sessions.open();
  await expect(sessions.devices()).toHaveCount(1);
  await sessions.linkDeviceButton().click();
  await sessions.linkCode().fill(code);
  await sessions.linkButton().click();
  await expect(sessions.confirmButton()).toBeVisible();
  await shoot(alice.page, 'link-confirm');
  await sessions.confirmButton().click();
  await laptop.expectSignedIn();
  await expect(sessions.devices()).toHaveCount(2);
  await shoot(alice.page, 'active-sessions');
  await sessions.terminateButton('Parley desktop').click();
  await expect(sessions.confirmButton()).toBeVisible();
  await shoot(alice.page, 'terminate-confirm');
  await sessions.confirmButton().click();
  await expect(laptop.page.getByText('session was ended', { exact: false })).toBeVisible();
  await shoot(laptop.page, 'session-ended');

  // Signing in by password on a machine with no device of the account (C5); not started fresh here.
  const withoutDevice = new SignInWithoutDevicePage(laptop.page);
  await withoutDevice.startButton().click();
  await withoutDevice.username().fill('alice');
  await withoutDevice.password().fill(TEST_PASSWORD);
  await shoot(laptop.page, 'password-sign-in');
  await withoutDevice.continueButton().click();
  await expect(withoutDevice.signedInDevices('alice')).toHaveCount(1);
  await shoot(laptop.page, 'history-stays');
  await withoutDevice.startFreshButton().click();
  await expect(withoutDevice.confirmPrompt()).toBeVisible();
  await shoot(laptop.page, 'start-fresh-confirm');

  // A newly linked laptop restoring a long history from the archive (C5); dana's desk is a core in this process.
  const directories = new TemporaryDirectories();
  const cores: TestDevice[] = [];
  try {
    const dana = await TestDevice.register(server.url, 'dana', directories);
    cores.push(dana);
    await dana.start();
    const friends: string[] = [];
    for (const name of ['erin', 'frank', 'grace']) {
      const friend = await TestDevice.register(server.url, name, directories);
      cores.push(friend);
      await friend.start({ connect: false });
      friends.push(friend.accountId);
    }
    const lines = ['See you at the station at nine', 'Did you bring the map?', 'The ferry leaves at noon', 'Sounds good to me'];
    await seedArchive(dana, { serverUrl: server.url, peers: friends, count: 40_000, textOf: (index) => lines[index % lines.length]! });
    const danaLaptop = new Person(await launchApp('dana-laptop', { viewport: SIZE }), 'dana');
    const danaCode = await new LinkThisDevicePage(danaLaptop.page).requestCode('laptop only password');
    await dana.core.devices.link(danaCode);
    await expect(danaLaptop.chatList.restoreStatus()).toBeVisible();
    for (const name of ['erin', 'frank', 'grace']) await expect(danaLaptop.chatList.chat(name)).toBeVisible();
    await expect(danaLaptop.chatList.restoreStatus()).toBeVisible();
    await shoot(danaLaptop.page, 'restore-progress');

    // A contact starts over with new keys (C5): bob's chat with them says the safety number changed.
    const erin = cores[1]!;
    erin.core.start();
    await erin.core.sendText({ username: 'bob' }, 'Hi bob, it is erin');
    await bob.openChatWith('erin');
    await expect(bob.conversation.messageText('Hi bob, it is erin')).toBeVisible();
    const erinAgain = await TestDevice.startFresh(server.url, 'erin', directories);
    cores.push(erinAgain);
    await erinAgain.start();
    await erinAgain.core.sendText({ username: 'bob' }, 'New laptop, I lost the old one');
    await expect(bob.conversation.identityChangedNotice()).toBeVisible();
    await shoot(bob.page, 'safety-number-changed');
  } finally {
    await Promise.all(cores.map((core) => core.stop().catch(() => undefined)));
    directories.removeAll();
  }

  // An update replaced the app's files while the window was open: the signed-in part is gone.
  const signedInChunk = /\/assets\/SignedInApp-[^/]*\.js(\?|$)/;
  await alice.page.route(signedInChunk, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await alice.page.reload();
  await expect(alice.page.getByRole('button', { name: 'Reload' })).toBeVisible();
  await shoot(alice.page, 'part-missing');
  await alice.page.unroute(signedInChunk);

  await alice.app.reopen();
  await expect(alice.signInPage.signInButton()).toBeVisible();
  await shoot(alice.page, 'sign-in');

  // Offline: the server goes away while alice is signed in; a notice says what happens to sends.
  await alice.signIn();
  await alice.openChatWith('bob');
  await server.stop();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Messages you send wait' })).toBeVisible();
  await shoot(alice.page, 'offline');
});
