import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src-shared/protocol/frames';
import type { ServerApi } from '../api/serverApi';
import { decodeContent } from '../signal/contentCodec';
import { decryptEnvelope, protocolAddress } from '../signal/messageCipher';
import { protocolStores } from '../signal/protocolStores';
import { streamLogger } from '../util/streamLogger';
import { SerialQueue } from '../util/serialQueue';
import { Vault } from '../vault/vault';
import { DeviceDirectory } from './deviceDirectory';
import type { LocalDevice } from './localDevice';
import { outboxEntry, type OutboxEntry } from './outboxEntry';
import { OutboxWrites, type OutboxWritesOptions } from './outboxWrites';
import { keyedDevice } from './testing/keyedDevice';

const clock = { now: () => Date.now() };
const turn = () => new Promise((resolve) => setImmediate(resolve));
const logger = streamLogger('silent', () => undefined);
const localOf = (device: { accountId: string }): LocalDevice => ({ accountId: device.accountId, deviceId: 1, address: protocolAddress(device.accountId, 1) });
const text = (to: string, body: string) => outboxEntry({ to, content: { kind: 'text', messageId: randomUUID(), sentAt: 1, text: body }, createdAt: 1 });
const listed = (vault: Vault) => vault.list('outbox').map((bytes) => JSON.parse(bytes.toString('utf8')) as OutboxEntry);

const makeWrites = (vault: Vault, local: LocalDevice, api: ServerApi, options: Partial<OutboxWritesOptions> = {}) =>
  new OutboxWrites({ vault, cryptoQueue: new SerialQueue(), local, api, clock, logger, connected: () => true, onCommitted: () => undefined, ...options });

/** Counts the vault's commits, and the key requests asked of the server (none may be, here). */
function counted(vault: Vault) {
  const counts = { commits: 0, keyRequests: 0 };
  const applyWrites = vault.applyWrites.bind(vault);
  vault.applyWrites = (writes) => {
    counts.commits += 1;
    applyWrites(writes);
  };
  const api = {
    preKeyBundle: async () => {
      counts.keyRequests += 1;
      throw new Error('no network in this test');
    },
  } as unknown as ServerApi;
  return { counts, api };
}

describe('OutboxWrites', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  function vaultOnDisk(fsync?: (fd: number) => Promise<void>) {
    const directory = mkdtempSync(join(tmpdir(), 'parley-outbox-writes-'));
    directories.push(directory);
    const [path, key] = [join(directory, 'vault.sqlite'), randomBytes(32)];
    return { vault: Vault.open(path, key, { fsync }), reopen: () => Vault.open(path, key) };
  }

  it('commits the entries of one turn once, in order, and resolves each only once that commit is on disk', async () => {
    const flushes: Array<() => void> = [];
    const { vault } = vaultOnDisk(() => new Promise<void>((resolve) => flushes.push(resolve)));
    const { counts, api } = counted(vault);
    let committed = 0;
    const writes = makeWrites(vault, localOf({ accountId: 'me' }), api, { onCommitted: () => (committed += 1) });
    let resolved = 0;
    const added = ['a', 'b', 'c'].map((body) => writes.add(text('someone', body)).then(() => (resolved += 1)));
    expect(vault.count('outbox')).toBe(0);
    while (flushes.length === 0) await turn();
    expect([committed, counts.commits]).toEqual([1, 1]);
    expect(listed(vault).map((entry) => entry.content.kind === 'text' && entry.content.text)).toEqual(['a', 'b', 'c']);
    await turn();
    expect(resolved).toBe(0); // written, not yet on disk
    flushes.shift()!();
    await Promise.all(added);
    expect(resolved).toBe(3);
    const later = writes.add(text('someone', 'd'));
    while (flushes.length === 0) await turn();
    flushes.shift()!();
    await later;
    expect(committed).toBe(2);
    // Nobody known to send to: written as they are, and the server was not asked for keys.
    expect(listed(vault).every((entry) => entry.prepared === undefined)).toBe(true);
    expect(counts.keyRequests).toBe(0);
    vault.close();
  });

  it('rejects every entry of a commit the disk refused', async () => {
    const { vault } = vaultOnDisk(() => Promise.reject(new Error('the disk refused')));
    const writes = makeWrites(vault, localOf({ accountId: 'me' }), counted(vault).api);
    const added = [writes.add(text('someone', 'a')), writes.add(text('someone', 'b'))];
    for (const write of added) await expect(write).rejects.toThrow('the disk refused');
    vault.close();
  });

  it('rejects every entry of a commit that could not be written, and has written none of them', async () => {
    const { vault, reopen } = vaultOnDisk();
    const writes = makeWrites(vault, localOf({ accountId: 'me' }), counted(vault).api);
    const first = writes.add(text('someone', 'a'));
    const second = writes.add(text('someone', 'b'));
    vault.close(); // the commit, on the next turn, cannot be written
    await expect(first).rejects.toThrow();
    await expect(second).rejects.toThrow();
    await writes.idle();
    const reopened = reopen();
    expect(reopened.count('outbox')).toBe(0);
    reopened.close();
  });

  it('puts a message with its ciphertext in one commit when the session is at hand, and the ciphertext decrypts', async () => {
    const { alice, bob } = await aliceWithSession();
    const { counts, api } = counted(alice.vault);
    const writes = makeWrites(alice.vault, localOf(alice), api);
    await writes.add(text(bob.accountId, 'hello bob'));
    expect(counts).toEqual({ commits: 1, keyRequests: 0 });
    const [entry] = listed(alice.vault);
    expect(entry?.prepared?.envelopes.map((envelope) => envelope.deviceId)).toEqual([1]);
    const envelope = entry!.prepared!.envelopes[0]!;
    const delivered: Envelope = {
      id: randomUUID(),
      sourceAccountId: alice.accountId,
      sourceDeviceId: 1,
      ciphertextType: envelope.ciphertextType,
      body: envelope.body,
      serverTimestamp: 1,
      clientTimestamp: 1,
    };
    const plaintext = await decryptEnvelope(protocolStores(bob.vault.transaction(), clock.now), protocolAddress(bob.accountId, 1), delivered);
    expect(decodeContent(plaintext)).toMatchObject({ kind: 'text', text: 'hello bob' });
  });

  it('does not wait for a busy crypto queue: the entries go in as they are, and later batches stay behind them', async () => {
    const { alice, bob } = await aliceWithSession();
    const { counts, api } = counted(alice.vault);
    const cryptoQueue = new SerialQueue();
    const writes = makeWrites(alice.vault, localOf(alice), api, { cryptoQueue });
    let release!: () => void;
    const batchBeingDecrypted = cryptoQueue.run(() => new Promise<void>((resolve) => (release = resolve)));
    await writes.add(text(bob.accountId, 'first'));
    expect(listed(alice.vault).map((entry) => entry.prepared)).toEqual([undefined]);
    release();
    await batchBeingDecrypted;
    expect(cryptoQueue.idle).toBe(true);
    await writes.add(text(bob.accountId, 'second'));
    const entries = listed(alice.vault);
    expect(entries.map((entry) => entry.content.kind === 'text' && entry.content.text)).toEqual(['first', 'second']);
    expect(entries[1]?.prepared?.envelopes).toHaveLength(1);
    expect(counts).toEqual({ commits: 2, keyRequests: 0 });
  });

  it('leaves messages as they are while offline, and in a batch larger than a window', async () => {
    const { alice, bob } = await aliceWithSession();
    const { counts, api } = counted(alice.vault);
    let online = false;
    const writes = makeWrites(alice.vault, localOf(alice), api, { connected: () => online });
    await writes.add(text(bob.accountId, 'offline'));
    online = true;
    await Promise.all(Array.from({ length: 65 }, (_, index) => writes.add(text(bob.accountId, `many ${index}`))));
    const entries = listed(alice.vault);
    expect(entries).toHaveLength(66);
    expect(entries.every((entry) => entry.prepared === undefined)).toBe(true);
    expect(counts).toEqual({ commits: 2, keyRequests: 0 });
  });

  it('leaves a message as it is when one of its devices has no session, and still prepares those to others', async () => {
    const { alice, bob } = await aliceWithSession();
    const { counts, api } = counted(alice.vault);
    // bob has a second device now, known to alice but without a session yet.
    const transaction = alice.vault.transaction();
    transaction.putJson('devices', bob.accountId, [1, 2]);
    await transaction.commit();
    const carol = (await aliceWithSessionTo(alice)).accountId;
    const writes = makeWrites(alice.vault, localOf(alice), api);
    await Promise.all([writes.add(text(bob.accountId, 'one')), writes.add(text(carol, 'to carol')), writes.add(text(bob.accountId, 'two'))]);
    const byText = new Map(listed(alice.vault).map((entry) => [entry.content.kind === 'text' ? entry.content.text : '', entry.prepared !== undefined]));
    expect(Object.fromEntries(byText)).toEqual({ one: false, 'to carol': true, two: false });
    expect(counts.keyRequests).toBe(0);
  });
});

/** alice with a session with bob's one device, as after her first message to him. */
async function aliceWithSession() {
  const alice = keyedDevice();
  return { alice, bob: await aliceWithSessionTo(alice) };
}

/** Gives alice a session with a new account's one device; returns that account. */
async function aliceWithSessionTo(alice: ReturnType<typeof keyedDevice>) {
  const other = keyedDevice();
  const transaction = alice.vault.transaction();
  const api = { preKeyBundle: async () => other.bundle } as unknown as ServerApi;
  await new DeviceDirectory(transaction, protocolStores(transaction, clock.now), api, localOf(alice), () => new Date()).recipientDevices(other.accountId);
  await transaction.commit();
  return other;
}
