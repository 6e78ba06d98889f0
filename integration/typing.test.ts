import { describe, expect, it } from 'vitest';
import { credentialsOf } from '../src-main/core/account/accountRecord';
import { ServerApi } from '../src-main/core/api/serverApi';
import type { Emitter } from '../src-main/core/util/emitter';
import type { TypingChange } from '../src-shared/ipc/messaging';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { eventually, type TestDevice } from './harness/testDevice';

/** The next value an emitter emits. */
const next = <T>(emitter: Emitter<T>) =>
  new Promise<T>((resolve) => {
    const stop = emitter.on((value) => {
      stop();
      resolve(value);
    });
  });

describe.each(testBackends())('typing indicators between two cores on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  /** alice → bob once, so alice has a session with bob's device. */
  async function conversation() {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    const hello = await alice.core.sendText({ accountId: bob.accountId }, 'hello');
    await eventually(() => bob.messages.some((message) => message.messageId === hello.messageId), 'bob has the hello');
    return { alice, bob };
  }

  const preKeysOf = (device: TestDevice) => new ServerApi(device.core.account.serverUrl, credentialsOf(device.core.account)).preKeyCount();

  it('without a session nothing is sent, and none of the recipient’s one-time prekeys is spent', async () => {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    await eventually(() => alice.core.isConnected && bob.core.isConnected, 'both are connected');
    const before = await preKeysOf(bob);
    expect(await alice.core.sendTyping(bob.accountId, true)).toBe('no_session');
    expect(await preKeysOf(bob)).toEqual(before);
    expect(alice.core.outboxSize).toBe(0);
  });

  it('reaches the connected recipient as an event, never as an inbox item or a receipt', async () => {
    const { alice, bob } = await conversation();
    const handedOverBefore = bob.handedOver.size;
    const statusesBefore = new Map(alice.statuses);

    const started = next(bob.core.onTyping);
    expect(await alice.core.sendTyping(bob.accountId, true)).toBe('sent');
    expect(await started).toEqual({ accountId: alice.accountId, typing: true });
    const stopped = next(bob.core.onTyping);
    expect(await alice.core.sendTyping(bob.accountId, false)).toBe('sent');
    expect(await stopped).toEqual({ accountId: alice.accountId, typing: false });

    await bob.core.idle();
    expect(bob.core.readInbox()).toEqual([]);
    expect(bob.handedOver.size).toBe(handedOverBefore);
    expect(alice.core.outboxSize).toBe(0);
    // A text sent after them still gets its receipt, and nothing else changed status.
    const after = await alice.core.sendText({ accountId: bob.accountId }, 'after typing');
    await eventually(() => alice.statuses.get(after.messageId) === 'delivered', 'alice sees "delivered"');
    expect([...alice.statuses.keys()].sort()).toEqual([...statusesBefore.keys(), after.messageId].sort());
  });

  it('is dropped for an offline recipient, who never gets it later, and the session goes on working', async () => {
    const { alice, bob } = await conversation();
    await bob.stop();
    expect(await alice.core.sendTyping(bob.accountId, true)).toBe('sent');

    await bob.start({ connect: false });
    const typingSeen: TypingChange[] = [];
    bob.core.onTyping.on((change) => typingSeen.push(change));
    const caughtUp = next(bob.core.onCaughtUp);
    bob.core.start();
    await caughtUp;
    expect(typingSeen).toEqual([]);

    // Bob's side skips the dropped ratchet step: later messages and indicators decrypt.
    const later = await alice.core.sendText({ accountId: bob.accountId }, 'still there?');
    await eventually(() => bob.messages.some((message) => message.messageId === later.messageId), 'bob has the later message');
    const typing = next(bob.core.onTyping);
    expect(await alice.core.sendTyping(bob.accountId, true)).toBe('sent');
    expect(await typing).toEqual({ accountId: alice.accountId, typing: true });
  });

  it('the recipient can type back before it ever replied, and its reply spends none of the sender’s one-time prekeys', async () => {
    const { alice, bob } = await conversation();
    const aliceKeys = await preKeysOf(alice);
    const typing = next(alice.core.onTyping);
    expect(await bob.core.sendTyping(alice.accountId, true)).toBe('sent');
    expect(await typing).toEqual({ accountId: bob.accountId, typing: true });

    const reply = await bob.core.sendText({ accountId: alice.accountId }, 'hi back');
    await eventually(() => alice.messages.some((message) => message.messageId === reply.messageId), 'alice has the reply');
    expect(await preKeysOf(alice)).toEqual(aliceKeys);
  });

  it('is not sent while disconnected and is never retried', async () => {
    const { alice, bob } = await conversation();
    await alice.stop();
    await alice.start({ connect: false });
    expect(await alice.core.sendTyping(bob.accountId, true)).toBe('offline');
    expect(alice.core.outboxSize).toBe(0);
  });
});
