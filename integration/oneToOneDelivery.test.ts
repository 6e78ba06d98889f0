import { describe, expect, it } from 'vitest';
import { MessageTooLongError } from '../src-main/core/coreErrors';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { eventually } from './harness/testDevice';

describe.each(testBackends())('one-to-one delivery on $name', (backend) => {
  const fixture = useServerPerTest(backend);
  const register = (username: string) => fixture.register(username);

  it('round trip: alice → bob, delivered back to alice, bob → alice', async () => {
    const alice = await (await register('alice')).start();
    const bob = await (await register('bob')).start();

    const sent = await alice.core.sendText({ username: 'bob' }, 'hello bob 👋');
    await alice.core.waitUntilSent(sent.messageId);
    await eventually(() => bob.messages.length === 1, 'bob has the message');
    expect(bob.messages[0]).toMatchObject({
      messageId: sent.messageId,
      text: 'hello bob 👋',
      direction: 'in',
      senderAccountId: alice.accountId,
      conversationId: alice.accountId,
      sentAt: sent.sentAt,
    });
    await eventually(() => alice.statuses.get(sent.messageId) === 'delivered', 'alice sees "delivered"');

    const reply = await bob.core.sendText({ username: 'alice' }, 'hi alice');
    await eventually(() => alice.messages.some((message) => message.messageId === reply.messageId), 'alice has the reply');
    expect(alice.textsFrom(bob)).toEqual(['hi alice']);
  });

  it('the delivery receipts of messages arriving one by one within a moment come back as one message', async () => {
    const alice = await (await register('alice')).start();
    const bob = await (await register('bob')).start({ receiptDelayMs: 1_000 });
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      const sent = await alice.core.sendText({ username: 'bob' }, text);
      ids.push(sent.messageId);
      // Each arrives (and is committed, in a batch of its own) before the next is sent.
      await eventually(() => bob.messages.some((message) => message.messageId === sent.messageId), `bob has "${text}"`);
    }
    await eventually(() => ids.every((id) => alice.statuses.get(id) === 'delivered'), 'alice sees all three delivered');
    const delivered = alice.receipts.filter((receipt) => receipt.receiptType === 'delivered' && receipt.fromAccountId === bob.accountId);
    expect(delivered.map((receipt) => [...receipt.messageIds].sort())).toEqual([[...ids].sort()]);
  });

  it('200 messages to an offline device arrive in order, exactly once', async () => {
    const alice = await (await register('alice')).start();
    const bob = await register('bob'); // registered, never connected yet
    const expected = Array.from({ length: 200 }, (_, index) => `message ${index}`);
    const ids: string[] = [];
    for (const text of expected) ids.push((await alice.core.sendText({ username: 'bob' }, text)).messageId);
    await Promise.all(ids.map((id) => alice.core.waitUntilSent(id).catch(() => undefined)));
    await eventually(() => ids.every((id) => alice.statuses.get(id) === 'sent'), 'the server stored all 200');

    await bob.start();
    await eventually(() => bob.messages.length >= 200, 'bob caught up');
    await bob.core.idle();
    expect(bob.textsFrom(alice)).toEqual(expected);
    expect([...bob.handedOver.values()].every((count) => count === 1)).toBe(true);
    await eventually(() => ids.every((id) => alice.statuses.get(id) === 'delivered'), 'alice sees all 200 delivered');
  });

  it('a device that crashes before committing a batch, or after committing but before acking, loses and duplicates nothing', async () => {
    const alice = await (await register('alice')).start();
    const bob = await register('bob');
    const expected = Array.from({ length: 60 }, (_, index) => `crash test ${index}`);
    for (const text of expected) await alice.core.sendText({ username: 'bob' }, text);
    await eventually(() => alice.core.outboxSize === 0, 'alice sent everything');

    await bob.start({ connect: false });
    const applyWrites = bob.vault.applyWrites.bind(bob.vault);
    let faults = 0;
    bob.vault.applyWrites = (writes) => {
      const batch = [...writes];
      const touchesInbox = batch.some((write) => write.collection === 'inbox');
      if (touchesInbox && faults === 0) {
        faults += 1;
        throw new Error('simulated crash between decrypt and commit');
      }
      applyWrites(batch);
      if (touchesInbox && faults === 1) {
        faults += 1;
        throw new Error('simulated crash between commit and ack');
      }
    };
    bob.core.start();
    await eventually(() => bob.messages.length >= expected.length && faults === 2, 'bob received after two crashes');
    await bob.core.idle();
    expect(bob.textsFrom(alice)).toEqual(expected);
    expect([...bob.handedOver.values()].every((count) => count === 1)).toBe(true);
  });

  it('every device of the recipient and the sender\'s other devices get each message; new devices are found on refusal', async () => {
    const alice = await (await register('alice')).start();
    const bob = await (await register('bob')).start();
    const before = await bob.core.sendText({ username: 'alice' }, 'before alice had a second device');
    await eventually(() => alice.messages.length === 1, 'alice has the first message');
    await eventually(() => bob.statuses.get(before.messageId) === 'delivered', 'bob sees it delivered');

    // bob and alice's first device both hold sessions that do not know this device yet.
    const aliceLaptop = fixture.track(await alice.addDevice(fixture.server.url, fixture.directories));
    await aliceLaptop.start();

    const toBoth = await bob.core.sendText({ username: 'alice' }, 'to both of alice\'s devices');
    await bob.core.waitUntilSent(toBoth.messageId);
    await eventually(() => alice.messages.length === 2 && aliceLaptop.messages.length === 1, 'both alice devices have it');
    expect(aliceLaptop.messages[0]).toMatchObject({ messageId: toBoth.messageId, direction: 'in' });

    const fromPhone = await alice.core.sendText({ username: 'bob' }, 'sent from alice\'s first device');
    await alice.core.waitUntilSent(fromPhone.messageId);
    await eventually(() => bob.messages.length === 1 && aliceLaptop.messages.length === 2, 'bob and alice\'s laptop have it');
    expect(bob.messages[0]).toMatchObject({ messageId: fromPhone.messageId, direction: 'in' });
    expect(aliceLaptop.messages[1]).toMatchObject({
      messageId: fromPhone.messageId,
      direction: 'out',
      conversationId: bob.accountId,
      text: "sent from alice's first device",
    });
  });

  it('refuses, before queueing, a message whose encoded size passes the limit even within the character limit', async () => {
    const alice = await (await register('alice')).start();
    const bob = await (await register('bob')).start();
    await expect(alice.core.sendText({ accountId: bob.accountId }, '\u0001'.repeat(60_000))).rejects.toBeInstanceOf(MessageTooLongError);
    expect(alice.core.outboxSize).toBe(0);
    const fine = await alice.core.sendText({ accountId: bob.accountId }, 'x'.repeat(60_000));
    await alice.core.waitUntilSent(fine.messageId);
    await eventually(() => bob.messages.length === 1, 'the long but fine message arrived');
  });

  it('messages wait on the server for a device that is offline and arrive when it returns (C6)', async () => {
    const alice = await (await register('alice')).start();
    const bob = await (await register('bob')).start();
    const hello = await alice.core.sendText({ username: 'bob' }, 'while you are here');
    await eventually(() => bob.messages.length === 1, 'bob online receives');
    await bob.stop();
    const later = await alice.core.sendText({ username: 'bob' }, 'while you were away');
    await alice.core.waitUntilSent(later.messageId);
    await bob.start();
    await eventually(() => bob.messages.length === 2, 'bob receives after returning');
    expect(bob.messages.map((message) => message.messageId)).toEqual([hello.messageId, later.messageId]);
  });
});
