import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolAddress } from '@signalapp/libsignal-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src-shared/protocol/frames';
import { streamLogger } from '../util/streamLogger';
import { SerialQueue } from '../util/serialQueue';
import { Vault } from '../vault/vault';
import { EnvelopeReceiver } from './envelopeReceiver';

/** An envelope no session can open: the receiver records it as processed and acks it. */
const undecryptable = (): Envelope => ({
  id: randomUUID().replaceAll('-', ''),
  sourceAccountId: randomUUID(),
  sourceDeviceId: 1,
  ciphertextType: 2,
  body: randomBytes(48).toString('base64'),
  serverTimestamp: Date.now(),
  clientTimestamp: Date.now(),
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('EnvelopeReceiver', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  function receiverWithManualDisk(options: { failFsync?: boolean; warnings?: string[] } = {}) {
    const directory = mkdtempSync(join(tmpdir(), 'parley-receiver-'));
    directories.push(directory);
    const flushes: Array<() => void> = [];
    const vault = Vault.open(join(directory, 'vault.sqlite'), randomBytes(32), {
      fsync: () =>
        new Promise<void>((resolve, reject) => flushes.push(options.failFsync ? () => reject(new Error('EIO')) : resolve)),
    });
    const acked: string[] = [];
    const accountId = randomUUID();
    const receiver = new EnvelopeReceiver({
      vault,
      cryptoQueue: new SerialQueue(),
      local: { accountId, deviceId: 1, address: ProtocolAddress.new(accountId, 1) },
      clock: { now: () => Date.now() },
      logger: options.warnings
        ? { ...streamLogger('silent', () => undefined), warn: (event: string) => options.warnings!.push(event) }
        : streamLogger('silent', () => undefined),
      ack: (ids) => {
        acked.push(...ids);
        return true;
      },
    });
    return { vault, receiver, acked, flushes };
  }

  it('acks a batch only once its commit is on disk', async () => {
    const { vault, receiver, acked, flushes } = receiverWithManualDisk();
    const envelope = undecryptable();
    void receiver.receive([envelope]);
    while (flushes.length === 0) await turn();
    expect(acked).toEqual([]);
    flushes.shift()!();
    await receiver.idle();
    expect(acked).toEqual([envelope.id]);
    vault.close();
  });

  it('takes envelopes that arrive while the last batch waits for the disk', async () => {
    const { vault, receiver, acked, flushes } = receiverWithManualDisk();
    const first = undecryptable();
    const second = undecryptable();
    void receiver.receive([first]);
    while (flushes.length === 0) await turn();
    void receiver.receive([second]); // the drain is waiting for the disk now
    await turn();
    flushes.shift()!();
    while (flushes.length === 0) await turn();
    flushes.shift()!();
    await receiver.idle();
    expect(acked).toEqual([first.id, second.id]);
    vault.close();
  });

  it('stops for good when the disk refuses an fsync: nothing acked, one disk failure, no reconnect', async () => {
    const { vault, receiver, acked, flushes } = receiverWithManualDisk({ failFsync: true });
    let diskFailures = 0;
    let batchFailures = 0;
    receiver.onDiskFailed.on(() => (diskFailures += 1));
    receiver.onBatchFailed.on(() => (batchFailures += 1));
    void receiver.receive([undecryptable()]);
    while (flushes.length === 0) await turn();
    void receiver.receive([undecryptable()]);
    flushes.shift()!();
    await receiver.idle();
    void receiver.receive([undecryptable()]);
    await receiver.idle();
    expect(acked).toEqual([]);
    expect(diskFailures).toBe(1);
    expect(batchFailures).toBe(0);
    expect(vault.failed).toBe(true);
    vault.close();
  });

  it('decrypts an envelope once however often it comes, in one batch or later ones, and acks every copy', async () => {
    const warnings: string[] = [];
    const { vault, receiver, acked, flushes } = receiverWithManualDisk({ warnings });
    const flushAll = () => flushes.splice(0).forEach((flush) => flush());
    const [first, second, third] = [undecryptable(), undecryptable(), undecryptable()];
    const done = receiver.receive([first, second, first]);
    while (flushes.length === 0) await turn();
    flushAll();
    await done;
    const later = receiver.receive([second, third, first]);
    while (flushes.length === 0) await turn();
    flushAll();
    await later;
    // Each decrypt attempt of an undecryptable envelope warns once: three distinct envelopes, three attempts.
    expect(warnings).toEqual(['receive.undecryptable', 'receive.undecryptable', 'receive.undecryptable']);
    expect(acked).toEqual([first.id, second.id, first.id, second.id, third.id, first.id]);
    vault.close();
  });
});
