import { randomBytes } from 'node:crypto';
import { scanForPlaintexts } from '../fixtures/plaintextScan';
import { signedUp } from '../fixtures/person';
import { expect, test } from '../fixtures/test';

/** Words without repeats (so no compression can split them), unique to this run. */
const unique = (label: string) => `${label}-${randomBytes(9).toString('base64url')}`;

test('neither profile folder holds any message, draft or search text in the clear', async ({ launchApp }) => {
  const alice = await signedUp(launchApp, 'alice');
  const bob = await signedUp(launchApp, 'bob');
  // Only there to be found: bob leaves alice's chat for carol's, which saves his draft.
  const carol = await signedUp(launchApp, 'carol');
  await carol.app.close();
  const sentByAlice = [unique('quokkaFromAlice'), `Grüße aus Köln, 秘密のメッセージ ${unique('kanji')}`];
  const sentByBob = [unique('wombatFromBob'), `مرحبا ${unique('arabic')}`];
  const searchedWord = sentByAlice[0]!.slice(0, 12);
  const draft = unique('unsentDraftOfBob');
  // Written in the clear on purpose: proves the scan reads the browser's own LevelDB files.
  const canary = unique('localStorageCanary');

  await alice.startChatWith('bob');
  for (const text of sentByAlice) await alice.send(text);
  await bob.openChatWith('alice');
  await expect(bob.conversation.message(sentByAlice[1]!)).toBeVisible();
  for (const text of sentByBob) await bob.send(text);
  await expect(alice.conversation.message(sentByBob[1]!)).toBeVisible();
  await bob.conversation.composer().fill(draft);
  // Leaving a chat saves its draft to the history at once; the chat list then shows it. Back in
  // the chat, the draft is in the composer again, where it stays until the app closes (a person
  // who quits with a half-written message).
  await bob.startChatWith('carol');
  await expect(bob.chatList.chat('alice')).toContainText(draft);
  await bob.openChatWith('alice');
  await expect(bob.conversation.composer()).toHaveValue(draft);
  await alice.search.searchMessages(searchedWord);
  await expect(alice.search.messageResults()).toHaveCount(1);
  for (const person of [alice, bob]) await person.page.evaluate((value) => localStorage.setItem('parley-e2e-canary', value), canary);

  // Closed, so everything either side meant to write is on disk.
  await alice.app.close();
  await bob.app.close();

  const plaintexts = [...sentByAlice, ...sentByBob, draft];
  for (const person of [alice, bob]) {
    const { filesScanned, findings } = scanForPlaintexts(person.app.profileDir, [...plaintexts, canary]);
    const canaryFiles = findings.filter((finding) => finding.plaintext === canary).map((finding) => finding.file);
    console.log(`${person.username}'s profile: ${filesScanned} files scanned; the canary found in ${canaryFiles.join(', ')}`);
    expect(filesScanned).toBeGreaterThan(10);
    expect(findings.filter((finding) => finding.plaintext === canary).length, `the canary in ${person.username}'s browser storage`).toBeGreaterThan(0);
    expect(findings.filter((finding) => finding.plaintext !== canary), `plaintext in ${person.username}'s profile`).toEqual([]);
  }
});
