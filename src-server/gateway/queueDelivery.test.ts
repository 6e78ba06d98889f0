import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-shared/domain/limits';
import type { Envelope } from '../../src-shared/protocol/frames';
import { testBackends } from '../testing/backends';
import { registerAccount, type TestDevice } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';

/** Bodies carry their sequence number, so order can be checked on arrival. */
const bodyOf = (index: number) => Buffer.from(`message ${index}`).toString('base64');
const indexOf = (envelope: Envelope) => Number(Buffer.from(envelope.body, 'base64').toString().slice('message '.length));

async function sendMany(server: TestServer, from: TestDevice, to: TestDevice, first: number, count: number) {
  const { socket } = await TestSocket.ready(server.url, from.authorization);
  for (let index = first; index < first + count; index++) {
    socket.send({
      type: 'send',
      requestId: `s${index}`,
      idempotencyKey: randomBytes(8).toString('hex'),
      to: to.accountId,
      timestamp: index,
      envelopes: [{ accountId: to.accountId, deviceId: 1, registrationId: to.keys.registrationId, ciphertextType: 2, body: bodyOf(index) }],
    });
  }
  for (let index = 0; index < count; index++) expect((await socket.next('send_result')).ok).toBe(true);
  await socket.close();
}

const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testBackends())('queue delivery on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('delivers 1,200 queued envelopes in order, never more than the window unacked, then queue_drained', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    await sendMany(server, alice, bob, 0, 1_200);

    const { socket, ready } = await TestSocket.ready(server.url, bob.authorization);
    expect(ready.queued).toBe(1_200);
    const firstWindow = await socket.receiveEnvelopes(LIMITS.deliveryWindow, { ack: false });
    expect(firstWindow).toHaveLength(LIMITS.deliveryWindow);
    await quiet(200);
    expect(socket.unreadOf('envelopes')).toEqual([]);
    expect(socket.unreadOf('queue_drained')).toEqual([]);

    // While the window is full, more mail arrives; it must wait its turn, in order.
    await sendMany(server, alice, bob, 1_200, 10);
    await quiet(100);
    expect(socket.unreadOf('envelopes')).toEqual([]);

    const received = [...firstWindow];
    let acked = 0;
    socket.send({ type: 'ack', envelopeIds: firstWindow.map((envelope) => envelope.id) });
    acked += firstWindow.length;
    while (received.length < 1_210) {
      const frame = await socket.next('envelopes');
      received.push(...frame.items);
      expect(received.length - acked).toBeLessThanOrEqual(LIMITS.deliveryWindow);
      socket.send({ type: 'ack', envelopeIds: frame.items.map((envelope) => envelope.id) });
      acked += frame.items.length;
    }
    expect(received.map(indexOf)).toEqual(Array.from({ length: 1_210 }, (_, index) => index));
    expect(new Set(received.map((envelope) => envelope.id)).size).toBe(1_210);

    // queue_drained comes once, after the last envelope that was queued at connect time.
    const order = socket.received.map((frame) => (frame.type === 'envelopes' ? frame.items.map(indexOf) : frame.type));
    const drainedAt = order.indexOf('queue_drained');
    const lastQueuedAt = order.findIndex((entry) => Array.isArray(entry) && entry.includes(1_199));
    expect(drainedAt).toBeGreaterThan(lastQueuedAt);
    expect(order.filter((entry) => entry === 'queue_drained')).toHaveLength(1);
    await quiet(100);
    await socket.close();

    const { socket: later } = await TestSocket.ready(server.url, bob.authorization);
    await later.next('queue_drained');
    expect(later.received.map((frame) => frame.type)).toEqual(['ready', 'queue_drained']);
    await later.close();
  });

  it('pushes unacked envelopes again after a reconnect, and forgets acked ones', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    await sendMany(server, alice, bob, 0, 5);

    const first = await TestSocket.ready(server.url, bob.authorization);
    const pushed = await first.socket.receiveEnvelopes(5, { ack: false });
    await first.socket.close();

    const second = await TestSocket.ready(server.url, bob.authorization);
    const again = await second.socket.receiveEnvelopes(5, { ack: false });
    expect(again.map((envelope) => envelope.id)).toEqual(pushed.map((envelope) => envelope.id));
    second.socket.send({ type: 'ack', envelopeIds: [pushed[0]?.id, pushed[1]?.id] });
    // Acks are idempotent: the same ids again, and ids that were never ours, change nothing.
    second.socket.send({ type: 'ack', envelopeIds: [pushed[0]?.id, 'unknown-id'] });
    second.socket.send({ type: 'ping', requestId: 'after-acks' });
    await second.socket.next('pong');
    await second.socket.close();

    const third = await TestSocket.ready(server.url, bob.authorization);
    await third.socket.next('queue_drained');
    const remaining = third.socket.received.flatMap((frame) => (frame.type === 'envelopes' ? frame.items : []));
    expect(remaining.map(indexOf)).toEqual([2, 3, 4]);
    await third.socket.close();
  });

  it("ignores acks of another device's envelopes", async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const carol = await registerAccount(server.url);
    await sendMany(server, alice, bob, 0, 2);

    const bobFirst = await TestSocket.ready(server.url, bob.authorization);
    const pushed = await bobFirst.socket.receiveEnvelopes(2, { ack: false });
    await bobFirst.socket.close();

    const { socket: carolSocket } = await TestSocket.ready(server.url, carol.authorization);
    carolSocket.send({ type: 'ack', envelopeIds: pushed.map((envelope) => envelope.id) });
    carolSocket.send({ type: 'ping', requestId: 'done' });
    await carolSocket.next('pong');
    await carolSocket.close();

    const bobAgain = await TestSocket.ready(server.url, bob.authorization);
    const still = await bobAgain.socket.receiveEnvelopes(2, { ack: true });
    expect(still.map((envelope) => envelope.id)).toEqual(pushed.map((envelope) => envelope.id));
    await bobAgain.socket.close();
  });

  it('pushes live mail to a connected device without ever repeating an envelope on one connection', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    await sendMany(server, alice, bob, 0, 3);
    const { socket } = await TestSocket.ready(server.url, bob.authorization);
    await socket.receiveEnvelopes(3, { ack: false });
    for (let round = 0; round < 4; round++) await sendMany(server, alice, bob, 3 + round * 5, 5);
    const live = await socket.receiveEnvelopes(20, { ack: false });
    expect(live.map(indexOf)).toEqual(Array.from({ length: 20 }, (_, index) => index + 3));
    await quiet(100);
    const all = socket.received.flatMap((frame) => (frame.type === 'envelopes' ? frame.items : []));
    expect(all).toHaveLength(23);
    expect(new Set(all.map((envelope) => envelope.id)).size).toBe(23);
    await socket.close();
  });
});
