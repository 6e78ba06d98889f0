import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEnvelopeId } from '../services/deliveryBatch';
import { openTestStorage } from '../testing/testStorage';
import { testBackends } from '../testing/backends';
import type { Storage } from './storage';
import type { NewEnvelope } from './envelopesRepository';
import { queuedBytesOf } from './queuedBytes';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const SENDER = '22222222-2222-4222-8222-222222222222';

describe.each(testBackends())('envelopes repository on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    await storage.accounts.insert({ id: ACCOUNT, username: 'queue_owner', passwordHash: 'h', identityKey: 'k', createdDay: 1 });
    for (const deviceId of [1, 2]) {
      await storage.devices.insert({
        accountId: ACCOUNT,
        deviceId,
        name: 'd',
        registrationId: 1,
        secretHash: 'x',
        signedPreKey: { keyId: 1, publicKey: 'AAAA', signature: 'AAAA' },
        kyberLastResortPreKey: { keyId: 1, publicKey: 'AAAA', signature: 'AAAA' },
        day: 1,
      });
    }
  });
  afterAll(() => dispose());

  const envelope = (deviceId: number, serverTimestamp = 1): NewEnvelope => ({
    id: newEnvelopeId(),
    destinationAccountId: ACCOUNT,
    destinationDeviceId: deviceId,
    sourceAccountId: SENDER,
    sourceDeviceId: 1,
    ciphertextType: 2,
    body: 'AAAA',
    serverTimestamp,
    clientTimestamp: 1,
  });

  it('lists one device’s queue in insertion order, after a cursor', async () => {
    const batch = [envelope(1), envelope(2), envelope(1), envelope(1)];
    await storage.envelopes.insertMany(batch);
    const queue = await storage.envelopes.listAfter(ACCOUNT, 1, 0, 10);
    expect(queue.map((queued) => queued.envelope.id)).toEqual([batch[0]?.id, batch[2]?.id, batch[3]?.id]);
    const afterFirst = await storage.envelopes.listAfter(ACCOUNT, 1, queue[0]?.seq ?? 0, 1);
    expect(afterFirst.map((queued) => queued.envelope.id)).toEqual([batch[2]?.id]);
    expect(await storage.envelopes.lastSeq(ACCOUNT, 1)).toBe(queue[2]?.seq);
  });

  it('deletes acked envelopes of the acking device only', async () => {
    const mine = envelope(1);
    const theirs = envelope(2);
    await storage.envelopes.insertMany([mine, theirs]);
    expect(await storage.envelopes.deleteAcked(ACCOUNT, 1, [mine.id, theirs.id])).toEqual({ deleted: 1, bytes: 3 });
    expect(await storage.envelopes.deleteAcked(ACCOUNT, 1, [mine.id])).toEqual({ deleted: 0, bytes: 0 });
    const remaining = await storage.envelopes.listAfter(ACCOUNT, 2, 0, 100);
    expect(remaining.map((queued) => queued.envelope.id)).toContain(theirs.id);
  });

  it('tells a queue’s depth: its envelopes and its newest sequence, per device', async () => {
    for (const deviceId of [1, 2]) {
      const all = await storage.envelopes.listAfter(ACCOUNT, deviceId, 0, 10_000);
      if (all.length > 0) await storage.envelopes.deleteAcked(ACCOUNT, deviceId, all.map((queued) => queued.envelope.id));
    }
    expect(await storage.envelopes.queueDepth(ACCOUNT, 1)).toEqual({ envelopes: 0, lastSeq: 0 });
    const batch = [...Array.from({ length: 1_200 }, () => envelope(1)), envelope(2), envelope(2)];
    await storage.envelopes.insertMany(batch);
    const depth = await storage.envelopes.queueDepth(ACCOUNT, 1);
    expect(depth).toEqual({ envelopes: 1_200, lastSeq: await storage.envelopes.lastSeq(ACCOUNT, 1) });
    expect(await storage.envelopes.queueDepth(ACCOUNT, 2)).toMatchObject({ envelopes: 2 });
    await storage.envelopes.deleteAcked(ACCOUNT, 1, batch.slice(0, 200).map((queued) => queued.id));
    expect(await storage.envelopes.queueDepth(ACCOUNT, 1)).toEqual({ envelopes: 1_000, lastSeq: depth.lastSeq });
    expect(await storage.envelopes.queueDepth(ACCOUNT, 9)).toEqual({ envelopes: 0, lastSeq: 0 });
    await storage.envelopes.deleteAcked(ACCOUNT, 1, batch.slice(200, 1_200).map((queued) => queued.id));
    await storage.envelopes.deleteAcked(ACCOUNT, 2, batch.slice(1_200).map((queued) => queued.id));
  });

  it('never reuses a sequence number, even after the queue emptied', async () => {
    await storage.envelopes.insertMany([envelope(1)]);
    const before = await storage.envelopes.lastSeq(ACCOUNT, 1);
    for (const deviceId of [1, 2]) {
      const all = await storage.envelopes.listAfter(ACCOUNT, deviceId, 0, 1_000);
      await storage.envelopes.deleteAcked(ACCOUNT, deviceId, all.map((queued) => queued.envelope.id));
    }
    expect(await storage.envelopes.lastSeq(ACCOUNT, 1)).toBe(0);
    await storage.envelopes.insertMany([envelope(1)]);
    expect(await storage.envelopes.lastSeq(ACCOUNT, 1)).toBeGreaterThan(before);
  });

  it('deletes by age in batches and reports how many', async () => {
    await storage.envelopes.deleteStoredBefore(50, 1_000); // what earlier tests left (stored at 1)
    await storage.envelopes.insertMany(Array.from({ length: 7 }, () => envelope(2, 150)));
    await storage.envelopes.insertMany([envelope(2, 350)]);
    expect(await storage.envelopes.deleteStoredBefore(250, 5)).toBe(5);
    expect(await storage.envelopes.deleteStoredBefore(250, 5)).toBe(2);
    expect(await storage.envelopes.deleteStoredBefore(250, 5)).toBe(0);
    expect(await storage.envelopes.countFor(ACCOUNT, 2)).toBeGreaterThanOrEqual(1);
  });

  it('keeps each device’s queued-bytes counter equal to its queue through inserts, acks and retention', async () => {
    await storage.envelopes.deleteStoredBefore(Number.MAX_SAFE_INTEGER, 10_000);
    expect([await storage.envelopes.queuedBytes(ACCOUNT, 1), await storage.envelopes.queuedBytes(ACCOUNT, 2)]).toEqual([0, 0]);
    const sized = (deviceId: number, bytes: number, serverTimestamp: number): NewEnvelope => ({
      ...envelope(deviceId, serverTimestamp),
      body: randomBytes(bytes).toString('base64'),
    });
    const batch = [sized(1, 100, 500), sized(2, 7, 500), sized(1, 1_000, 900), sized(2, 20_000, 900), sized(1, 2, 900)];
    await storage.envelopes.insertMany(batch);
    expect(await storage.envelopes.queuedBytes(ACCOUNT, 1)).toBe(1_102);
    expect(await storage.envelopes.queuedBytes(ACCOUNT, 2)).toBe(20_007);

    expect(await storage.envelopes.deleteAcked(ACCOUNT, 1, [batch[2]!.id, batch[3]!.id])).toEqual({ deleted: 1, bytes: 1_000 });
    expect(await storage.envelopes.queuedBytes(ACCOUNT, 1)).toBe(102);
    expect(await storage.envelopes.deleteStoredBefore(600, 100)).toBe(2);
    expect([await storage.envelopes.queuedBytes(ACCOUNT, 1), await storage.envelopes.queuedBytes(ACCOUNT, 2)]).toEqual([2, 20_000]);
    await storage.envelopes.deleteStoredBefore(1_000, 100);
    expect([await storage.envelopes.queuedBytes(ACCOUNT, 1), await storage.envelopes.queuedBytes(ACCOUNT, 2)]).toEqual([0, 0]);
  });

  it('counts a body’s bytes in SQL exactly as in JavaScript, padded or not', async () => {
    const bodies = Array.from({ length: 40 }, (_, length) => randomBytes(length).toString('base64'));
    bodies.push(...bodies.map((body) => body.replace(/=+$/, '')));
    for (const body of bodies) expect(queuedBytesOf(body)).toBe(Buffer.from(body, 'base64').length);
    const stored = bodies.map((body) => ({ ...envelope(1), body }));
    await storage.envelopes.insertMany(stored);
    const total = bodies.reduce((sum, body) => sum + queuedBytesOf(body), 0);
    expect(await storage.envelopes.queuedBytes(ACCOUNT, 1)).toBe(total);
    expect(await storage.envelopes.deleteAcked(ACCOUNT, 1, stored.map((queued) => queued.id))).toEqual({ deleted: bodies.length, bytes: total });
    expect(await storage.envelopes.queuedBytes(ACCOUNT, 1)).toBe(0);
  });

  it('makes envelope ids random and unguessable rather than sequential', () => {
    const ids = Array.from({ length: 1_000 }, () => newEnvelopeId());
    expect(new Set(ids).size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
