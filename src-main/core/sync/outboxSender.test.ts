import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ErrorCode, WireError } from '../../../src-shared/protocol/errors';
import type { SendFrame, SendResultFrame } from '../../../src-shared/protocol/frames';
import type { PreKeyBundle } from '../../../src-shared/protocol/keys';
import type { ServerApi } from '../api/serverApi';
import { protocolAddress } from '../signal/messageCipher';
import { streamLogger } from '../util/streamLogger';
import { SerialQueue } from '../util/serialQueue';
import { enqueueOutgoing, outboxEntry, type OutboxEntry } from './outboxEntry';
import { keyedDevice } from './testing/keyedDevice';
import { OutboxSender, type SendFailure } from './outboxSender';
import { OutboxWrites } from './outboxWrites';
import type { ServerConnection } from './serverConnection';

const clock = { now: () => Date.now() };

/**
 * The server, as scripted: each send is answered by the next function in `answers` (ok once they
 * run out), with an error code or a whole error. `bob` is the recipient (one device by default).
 */
function harness(answers: Array<(frame: SendFrame) => SendResultFrame['ok'] | ErrorCode | WireError>, bob = keyedDevice()) {
  const alice = keyedDevice();
  const sends: SendFrame[] = [];
  const connection = {
    isOpen: true,
    request: async (frame: Omit<SendFrame, 'requestId'>): Promise<SendResultFrame> => {
      const full = { ...frame, requestId: randomUUID() };
      sends.push(full);
      const answer = answers.shift()?.(full) ?? true;
      if (answer === true) return { type: 'send_result', requestId: full.requestId, ok: true, serverTimestamp: clock.now() };
      const error = typeof answer === 'string' ? { code: answer, message: answer } : (answer as WireError);
      return { type: 'send_result', requestId: full.requestId, ok: false, error };
    },
  } as unknown as ServerConnection;
  // The server's keys for bob: all his devices, or the one asked for.
  const api = {
    preKeyBundle: async (_accountId: string, deviceId?: number) =>
      deviceId === undefined ? bob.bundle : { ...bob.bundle, devices: bob.bundle.devices.filter((entry) => entry.deviceId === deviceId) },
  } as unknown as ServerApi;
  // What the sender and the outbox writes share, as in ParleyCore (one crypto queue for both).
  const shared = {
    vault: alice.vault,
    cryptoQueue: new SerialQueue(),
    local: { accountId: alice.accountId, deviceId: 1, address: protocolAddress(alice.accountId, 1) },
    api,
    clock,
    logger: streamLogger('silent', () => undefined),
  };
  const sender = new OutboxSender({ ...shared, connection, random: () => 0 /* retries without waiting */ });
  const sent: string[] = [];
  const failed: SendFailure[] = [];
  sender.onSent.on((entry) => sent.push(entry.id));
  sender.onFailed.on((failure) => failed.push(failure));
  const textEntry = (id: string) => ({ id, to: bob.accountId, content: { kind: 'text' as const, messageId: randomUUID(), sentAt: 1, text: id }, createdAt: 1 });
  const enqueue = (id: string) => {
    const transaction = alice.vault.transaction();
    enqueueOutgoing(transaction, textEntry(id));
    transaction.commit();
  };
  const settled = async (count: number) => {
    for (let waited = 0; sent.length + failed.length < count && waited < 5_000; waited += 10) {
      await sender.flush();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  // As ParleyCore.sendText puts messages in the outbox: encrypted in the same commit where it can.
  const writes = new OutboxWrites({ ...shared, connected: () => true, onCommitted: () => undefined });
  const put = (id: string) => writes.add(outboxEntry(textEntry(id)));
  return { alice, bob, sender, sends, sent, failed, enqueue, put, settled };
}

const outboxEntries = (vault: { list(collection: 'outbox'): Buffer[] }) => vault.list('outbox').map((bytes) => JSON.parse(bytes.toString('utf8')) as OutboxEntry);

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

  it('sends a message encrypted as it was put in the outbox with those very ciphertexts, not encrypting it again', async () => {
    const { sender, sends, sent, enqueue, put, settled, alice } = harness([]);
    enqueue('m1');
    await settled(1); // alice now has a session with bob
    await put('m2');
    const prepared = outboxEntries(alice.vault)[0]?.prepared;
    expect(prepared?.envelopes).toHaveLength(1);
    await settled(2);
    expect(sent).toEqual(['m1', 'm2']);
    expect(sends[1]?.envelopes).toEqual(prepared?.envelopes);
    await sender.stop();
  });

  it('never sends a message encrypted when put before an older one to the same account that cannot be encrypted yet', async () => {
    const { sender, sends, sent, enqueue, put, settled, alice, bob } = harness([], keyedDevice(keyedDevice()));
    enqueue('m1');
    await settled(1); // sessions with both of bob's devices
    enqueue('m2'); // as when the crypto queue was busy: waits for the sender to encrypt it
    await put('m3');
    expect(outboxEntries(alice.vault).map((entry) => [entry.id, entry.prepared !== undefined])).toEqual([
      ['m2', false],
      ['m3', true],
    ]);
    // Then the session with bob's second device is gone (it re-registered), and its new keys cannot be had for now.
    const transaction = alice.vault.transaction();
    transaction.delete('session', `${bob.accountId}.2`);
    await transaction.commit();
    const options = (sender as unknown as { options: { api: ServerApi } }).options;
    const api = options.api;
    options.api = { preKeyBundle: async () => Promise.reject(new Error('the server is unreachable')) } as unknown as ServerApi;
    await sender.flush();
    expect(sends.map((frame) => frame.idempotencyKey)).toEqual(['m1']);
    options.api = api;
    await settled(3);
    expect(sends.map((frame) => frame.idempotencyKey)).toEqual(['m1', 'm2', 'm3']);
    expect(sent).toEqual(['m1', 'm2', 'm3']);
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
    const impostor = keyedDevice();
    (sender as unknown as { options: { api: ServerApi } }).options.api = { preKeyBundle: async () => impostor.bundle } as unknown as ServerApi;
    enqueue('m1');
    await sender.flush();
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
    expect(alice.vault.count('outbox')).toBe(1);
    await sender.stop();
  });

  it("fails a message whose recipient's keys are not signed by its identity, instead of keeping it forever", async () => {
    const bob = keyedDevice();
    const entry = bob.bundle.devices[0]!;
    const other = keyedDevice().bundle.devices[0]!;
    // A server (or anything on the way) swapped in a signed prekey of its own, with a signature by another identity.
    const tampered: PreKeyBundle = { ...bob.bundle, devices: [{ ...entry, signedPreKey: other.signedPreKey }] };
    const { sender, sends, sent, failed, enqueue, settled, alice } = harness([], { ...bob, bundle: tampered });
    enqueue('m1');
    await settled(1);
    expect(failed.map((failure) => [failure.entry.id, failure.error])).toEqual([
      ['m1', { code: 'undeliverable', message: "the recipient's keys failed verification" }],
    ]);
    expect(sent).toEqual([]);
    expect(sends).toEqual([]);
    expect(alice.vault.count('outbox')).toBe(0);
    await sender.stop();
  });

  it('fails a message whose Kyber prekey signature or key bytes were tampered with', async () => {
    const bob = keyedDevice();
    const entry = bob.bundle.devices[0]!;
    const flipped = Buffer.from(entry.kyberPreKey.signature, 'base64');
    flipped[10] = flipped[10]! ^ 1;
    for (const tamperedEntry of [
      { ...entry, kyberPreKey: { ...entry.kyberPreKey, signature: flipped.toString('base64') } },
      { ...entry, signedPreKey: { ...entry.signedPreKey, publicKey: Buffer.alloc(33).toString('base64') } },
    ]) {
      const { sender, failed, enqueue, settled } = harness([], { ...bob, bundle: { ...bob.bundle, devices: [tamperedEntry] } });
      enqueue('m1');
      await settled(1);
      expect(failed.map((failure) => failure.error.message)).toEqual(["the recipient's keys failed verification"]);
      await sender.stop();
    }
  });

  it('drops a device the server says was removed, and sends this and later messages to the rest only', async () => {
    const bob = keyedDevice(keyedDevice());
    expect(bob.bundle.devices.map((entry) => entry.deviceId)).toEqual([1, 2]);
    const removed = { accountId: bob.accountId, deviceId: 2 };
    const { sender, sends, sent, failed, enqueue, settled } = harness(
      [() => ({ code: 'mismatched_devices', message: 'a device was removed', missing: [], extra: [removed] })],
      bob,
    );
    enqueue('m1');
    await settled(1);
    enqueue('m2');
    await settled(2);
    expect(failed).toEqual([]);
    expect(sent).toEqual(['m1', 'm2']);
    const devicesOf = (frame: SendFrame) => frame.envelopes.map((envelope) => envelope.deviceId);
    expect(sends.map((frame) => [frame.idempotencyKey, devicesOf(frame)])).toEqual([
      ['m1', [1, 2]],
      ['m1', [1]],
      ['m2', [1]],
    ]);
    await sender.stop();
  });
});
