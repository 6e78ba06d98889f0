import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../testing/backends';
import { registerAccount, type TestDevice } from '../../testing/httpClient';
import { TestSocket } from '../../testing/testSocket';
import { startTestServer, type TestServer } from '../../testing/testServer';
import { DEFAULT_SENDS_RETENTION_MS } from '../deliveryBatch';

const DAY = 24 * 60 * 60 * 1000;

describe.each(testBackends())('retention on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { retentionMs: 7 * DAY });
  });
  afterAll(() => server.close());

  async function send(from: TestDevice, to: TestDevice, idempotencyKey = randomBytes(8).toString('hex')) {
    const { socket } = await TestSocket.ready(server.url, from.authorization);
    socket.send({
      type: 'send',
      requestId: 'r1',
      idempotencyKey,
      to: to.accountId,
      timestamp: 1,
      envelopes: [{ accountId: to.accountId, deviceId: 1, registrationId: to.keys.registrationId, ciphertextType: 2, body: 'AAAA' }],
    });
    const result = await socket.next('send_result');
    await socket.close();
    return result;
  }

  async function queuedCount(device: TestDevice) {
    const { socket } = await TestSocket.ready(server.url, device.authorization);
    await socket.next('queue_drained');
    const count = socket.received.flatMap((frame) => (frame.type === 'envelopes' ? frame.items : [])).length;
    await socket.close();
    return count;
  }

  it('keeps unacked envelopes through the retention period and deletes them after it', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    server.clock.set(Date.UTC(2030, 0, 1));
    await send(alice, bob);
    server.clock.advance(3 * DAY);
    await send(alice, bob);

    server.clock.advance(4 * DAY - 1);
    expect(await server.server.runRetention()).toBe(0);
    expect(await queuedCount(bob)).toBe(2);

    server.clock.advance(2);
    expect(await server.server.runRetention()).toBe(1);
    expect(await queuedCount(bob)).toBe(1);

    server.clock.advance(3 * DAY);
    expect(await server.server.runRetention()).toBe(1);
    expect(await queuedCount(bob)).toBe(0);
  });

  it('answers repeats for the idempotency window only, then stores them again, and retention forgets the records', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const start = Date.UTC(2031, 0, 1);
    server.clock.set(start);
    const key = 'late-repeat';
    const first = await send(alice, bob, key);
    expect(first).toMatchObject({ ok: true, serverTimestamp: start });
    server.clock.advance(DEFAULT_SENDS_RETENTION_MS);
    expect(await send(alice, bob, key)).toEqual({ ...first, requestId: 'r1' });
    expect(await queuedCount(bob)).toBe(1);

    // Past the window the record no longer answers, though retention has not run yet.
    server.clock.advance(1);
    const late = await send(alice, bob, key);
    expect(late).toMatchObject({ ok: true, serverTimestamp: start + DEFAULT_SENDS_RETENTION_MS + 1 });
    expect(await queuedCount(bob)).toBe(2);
    expect(await send(alice, bob, key)).toEqual(late);

    const sendsRemoved = () =>
      server.logs
        .filter((line) => line.includes('"retention_ran"'))
        .map((line) => (JSON.parse(line) as { sendsRemoved: number }).sendsRemoved)
        .at(-1);
    server.clock.advance(DEFAULT_SENDS_RETENTION_MS);
    expect(await server.server.runRetention()).toBe(0);
    expect(sendsRemoved()).toBe(0);
    server.clock.advance(1);
    expect(await server.server.runRetention()).toBe(0);
    expect(sendsRemoved()).toBe(1);
    // The envelopes stay for their own, longer retention.
    expect(await queuedCount(bob)).toBe(2);
  });

  it('runs on its timer until the server closes', async () => {
    const timed = await startTestServer(backend, { retentionMs: DAY, retentionIntervalMs: 20 });
    try {
      const alice = await registerAccount(timed.url);
      const bob = await registerAccount(timed.url);
      const { socket } = await TestSocket.ready(timed.url, alice.authorization);
      socket.send({
        type: 'send',
        requestId: 'r1',
        idempotencyKey: 'k1',
        to: bob.accountId,
        timestamp: 1,
        envelopes: [{ accountId: bob.accountId, deviceId: 1, registrationId: bob.keys.registrationId, ciphertextType: 2, body: 'AAAA' }],
      });
      await socket.next('send_result');
      await socket.close();
      timed.clock.advance(2 * DAY);
      await expect
        .poll(() => timed.logs.some((line) => line.includes('"retention_ran"') && line.includes('"envelopesRemoved":1')), { timeout: 5_000 })
        .toBe(true);
    } finally {
      await timed.close();
    }
  });
});
