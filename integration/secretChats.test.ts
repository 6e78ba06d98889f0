import { describe, expect, it } from 'vitest';
import { credentialsOf } from '../src-main/core/account/accountRecord';
import { ServerApi } from '../src-main/core/api/serverApi';
import { SecretChatNotFoundError } from '../src-main/core/secret/secretChatSessions';
import { putSecretChat, SECRET_CHATS_PER_PEER } from '../src-main/core/secret/secretChats';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import type { TestDevice } from './harness/testDevice';
import { eventually } from './harness/testDevice';

describe.each(testBackends())('secret chats (C4) between real devices on $name', (backend) => {
  const fixture = useServerPerTest(backend);
  const archivedCount = async (device: TestDevice) =>
    (await new ServerApi(fixture.server.url, credentialsOf(device.core.account)).archivePage(0, 1, true)).remaining;

  it('live on one device of each side only, are never archived, and deleting one deletes it on both', async () => {
    const aliceDesk = await (await fixture.register('alice')).start();
    const aliceLaptop = fixture.track(await (await aliceDesk.addDevice(fixture.server.url, fixture.directories, 'laptop')).start());
    const bobDesk = await (await fixture.register('bob')).start();
    const bobLaptop = fixture.track(await (await bobDesk.addDevice(fixture.server.url, fixture.directories, 'laptop')).start());

    const chat = await aliceDesk.core.secretChats.start({ username: 'bob' });
    expect(chat).toMatchObject({ peerAccountId: bobDesk.accountId, peerDeviceId: 1 });
    await eventually(() => bobDesk.secretChatEvents.length === 1, 'bob’s desk hears of the chat');
    expect(bobDesk.secretChatEvents).toEqual([{ change: 'started', chatId: chat.chatId, peerAccountId: aliceDesk.accountId, peerDeviceId: 1, startedAt: expect.any(Number) }]);
    expect(bobDesk.core.secretChats.list().map((known) => known.chatId)).toEqual([chat.chatId]);

    const sent = await aliceDesk.core.secretChats.send(chat.chatId, 'for your desk only');
    await aliceDesk.core.waitUntilSent(sent.messageId);
    await eventually(() => bobDesk.messages.some((message) => message.text === 'for your desk only'), 'bob’s desk receives it');
    expect(bobDesk.messages.find((message) => message.text === 'for your desk only')).toMatchObject({
      conversationId: `secret:${chat.chatId}`,
      direction: 'in',
      senderAccountId: aliceDesk.accountId,
      secret: { peerAccountId: aliceDesk.accountId },
    });
    const reply = await bobDesk.core.secretChats.send(chat.chatId, 'and yours');
    await bobDesk.core.waitUntilSent(reply.messageId);
    await eventually(() => aliceDesk.messages.some((message) => message.text === 'and yours'), 'alice’s desk receives the reply');

    // Another device of bob's that claims the chat is not heard: only the chat's own device speaks in it.
    const claim = bobLaptop.vault.transaction();
    putSecretChat(claim, { ...chat, peerAccountId: aliceDesk.accountId, peerDeviceId: 1 });
    await claim.commit();
    const forged = await bobLaptop.core.secretChats.send(chat.chatId, 'from the wrong device');
    await bobLaptop.core.waitUntilSent(forged.messageId);

    // An ordinary message afterwards reaches every device: by then the secret ones would have too.
    await aliceDesk.core.sendText({ username: 'bob' }, 'ordinary');
    await eventually(() => bobLaptop.textsFrom(aliceDesk).includes('ordinary') && aliceLaptop.messages.some((message) => message.text === 'ordinary'), 'the laptops get the ordinary one');
    expect(aliceDesk.messages.map((message) => message.text)).not.toContain('from the wrong device');
    for (const device of [aliceLaptop, bobLaptop]) {
      expect(device.messages.map((message) => message.text)).toEqual(['ordinary']);
      expect(device.secretChatEvents).toEqual([]);
    }
    expect(aliceLaptop.core.secretChats.list()).toEqual([]);
    // Only the ordinary message is in either archive: alice's desk archived its send; bob's two
    // devices each archived it (added with the password, not linked, each has its own archive key).
    await eventually(async () => (await archivedCount(aliceDesk)) === 1 && (await archivedCount(bobDesk)) === 2, 'the ordinary message is archived');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([await archivedCount(aliceDesk), await archivedCount(bobDesk)]).toEqual([1, 2]);

    await bobDesk.core.secretChats.delete(chat.chatId);
    expect(bobDesk.core.secretChats.list()).toEqual([]);
    await eventually(() => aliceDesk.secretChatEvents.some((event) => event.change === 'deleted'), 'alice’s desk hears of the deletion');
    expect(aliceDesk.core.secretChats.list()).toEqual([]);
    await expect(aliceDesk.core.secretChats.send(chat.chatId, 'too late')).rejects.toBeInstanceOf(SecretChatNotFoundError);

    // A message still on its way to a deleted chat does not open it again: the peer's registry is put back by hand to send one.
    const stale = aliceDesk.vault.transaction();
    putSecretChat(stale, chat);
    await stale.commit();
    const late = await aliceDesk.core.secretChats.send(chat.chatId, 'after the delete');
    await aliceDesk.core.waitUntilSent(late.messageId);
    await aliceDesk.core.sendText({ username: 'bob' }, 'after it, ordinary');
    await eventually(() => bobDesk.textsFrom(aliceDesk).includes('after it, ordinary'), 'bob gets the ordinary one');
    expect(bobDesk.textsFrom(aliceDesk)).not.toContain('after the delete');
    expect(bobDesk.core.secretChats.list()).toEqual([]);
  });

  it('keeps at most SECRET_CHATS_PER_PEER chats open from one account; more are dropped', async () => {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    const opened = [];
    for (let index = 0; index < SECRET_CHATS_PER_PEER + 2; index++) opened.push(await alice.core.secretChats.start({ username: 'bob' }));
    await alice.core.sendText({ username: 'bob' }, 'after them all');
    await eventually(() => bob.textsFrom(alice).includes('after them all'), 'bob gets the ordinary one after the chats');
    expect(bob.core.secretChats.list().map((chat) => chat.chatId).sort()).toEqual(opened.slice(0, SECRET_CHATS_PER_PEER).map((chat) => chat.chatId).sort());
  });
});
