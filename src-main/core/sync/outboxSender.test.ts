import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-shared/protocol/errors';
import type { SendFrame, SendResultFrame } from '../../../src-shared/protocol/frames';
import type { PreKeyBundle } from '../../../src-shared/protocol/keys';
import { writeAccount } from '../account/accountRecord';
import { newDeviceKeys } from '../account/newDevice';
import type { ServerApi } from '../api/serverApi';
import { generateIdentity } from '../signal/deviceKeys';
import { writeLocalKeys } from '../signal/localKeys';
import { protocolAddress } from '../signal/messageCipher';
import { streamLogger } from '../util/streamLogger';
import { SerialQueue } from '../util/serialQueue';
import { Vault } from '../vault/vault';
import { enqueueOutgoing } from './outboxEntry';
import { OutboxSender, type SendFailure } from './outboxSender';
import type { ServerConnection } from './serverConnection';

const clock = { now: () => Date.now() };

/** A device with real keys in an in-memory vault; returns its public bundle too. */
function device() {
  const vault = Vault.open(':memory:', randomBytes(32));
  const accountId = randomUUID();
  const transaction = vault.transaction();
  writeLocalKeys(transaction, generateIdentity(clock.now()));
  const keys = newDeviceKeys(transaction, 'test', clock.now());
  writeAccount(transaction, { serverUrl: 'http://unused', accountId, deviceId: 1, username: 'u', deviceSecret: keys.secret, registeredAt: 0 });
  transaction.commit();
  const bundle: PreKeyBundle = {
    accountId,
    identityKey: keys.identityKey,
    devices: [{ deviceId: 1, registrationId: keys.registrationId, signedPreKey: keys.signedPreKey, preKey: keys.preKeys[0], kyberPreKey: keys.kyberPreKeys[0]! }],
  };
  return { vault, accountId, bundle };
}

/** The server, as scripted: each send is answered by the next function in `answers` (ok once they run out). */
function harness(answers: Array<(frame: SendFrame) => SendResultFrame['ok'] | ErrorCode>) {
  const alice = device();
  const bob = device();
  const sends: SendFrame[] = [];
  const connection = {
    isOpen: true,
    request: async (frame: Omit<SendFrame, 'requestId'>): Promise<SendResultFrame> => {
      const full = { ...frame, requestId: randomUUID() };
      sends.push(full);
      const answer = answers.shift()?.(full) ?? true;
      return answer === true
        ? { type: 'send_result', requestId: full.requestId, ok: true, serverTimestamp: clock.now() }
        : { type: 'send_result', requestId: full.requestId, ok: false, error: { code: answer as ErrorCode, message: String(answer) } };
    },
  } as unknown as ServerConnection;
  const api = { preKeyBundle: async () => bob.bundle } as unknown as ServerApi;
  const sender = new OutboxSender({
    vault: alice.vault,
    cryptoQueue: new SerialQueue(),
    local: { accountId: alice.accountId, deviceId: 1, address: protocolAddress(alice.accountId, 1) },
    api,
    connection,
    clock,
    logger: streamLogger('silent', () => undefined),
    random: () => 0, // retries without waiting
  });
  const sent: string[] = [];
  const failed: SendFailure[] = [];
  sender.onSent.on((entry) => sent.push(entry.id));
  sender.onFailed.on((failure) => failed.push(failure));
  const enqueue = (id: string) => {
    const transaction = alice.vault.transaction();
    enqueueOutgoing(transaction, { id, to: bob.accountId, content: { kind: 'text', messageId: randomUUID(), sentAt: 1, text: id }, createdAt: 1 });
    transaction.commit();
  };
  const settled = async (count: number) => {
    for (let waited = 0; sent.length + failed.length < count && waited < 5_000; waited += 10) {
      await sender.flush();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { alice, sender, sends, sent, failed, enqueue, settled };
}

describe('OutboxSender', () => {
  it('keeps a message through transient refusals and resends the very same ciphertext', async () => {
    const { sender, sends, sent, failed, enqueue, settled, alice } = harness([() => 'internal', () => 'rate_limited']);
    enqueue('m1');
    await settled(1);
    expect(sent).toEqual(['m1']);
    expect(failed).toEqual([]);
    expect(sends).toHaveLength(3);
    expect(new Set(sends.map((frame) => JSON.stringify(frame.envelopes))).size).toBe(1);
    expect(new Set(sends.map((frame) => frame.idempotencyKey))).toEqual(new Set(['m1']));
    expect(alice.vault.count('outbox')).toBe(0);
    await sender.stop();
  });

  it('drops only what the server refuses for good, and goes on with the rest in order', async () => {
    const { sender, sends, sent, failed, enqueue, settled } = harness([() => 'payload_too_large']);
    enqueue('too-big');
    enqueue('next');
    await settled(2);
    expect(failed.map((failure) => [failure.entry.id, failure.error.code])).toEqual([['too-big', 'payload_too_large']]);
    expect(sent).toEqual(['next']);
    expect(sends.map((frame) => frame.idempotencyKey)).toEqual(['too-big', 'next']);
    await sender.stop();
  });

  it('refuses keys for an account other than the one asked for, keeping the message', async () => {
    const { sender, sent, failed, enqueue, alice } = harness([]);
    const impostor = device();
    (sender as unknown as { options: { api: ServerApi } }).options.api = { preKeyBundle: async () => impostor.bundle } as unknown as ServerApi;
    enqueue('m1');
    await sender.flush();
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
    expect(alice.vault.count('outbox')).toBe(1);
    await sender.stop();
  });
});
