import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingEnvelope, SendFrame } from '../../src-shared/protocol/frames';
import { openDatabase } from '../storage/database';
import { createStorage, type Storage } from '../storage/storage';
import { testBackends } from '../testing/backends';
import { addDevice, registerAccount, type TestDevice } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { envelopeFor, newRequestId, queuedOnConnect, sendOnce } from '../testing/socketSends';
import { startTestServer, type TestServer } from '../testing/testServer';

const onlineOnlyFrame = (to: TestDevice, envelopes: OutgoingEnvelope[], overrides: Partial<SendFrame> = {}): SendFrame => ({
  type: 'send',
  requestId: newRequestId(),
  idempotencyKey: newRequestId(),
  to: to.accountId,
  timestamp: 1_700_000_000_000,
  envelopes,
  onlineOnly: true,
  ...overrides,
});

describe.each(testBackends())('online-only sends (typing indicators) on $name', (backend) => {
  let server: TestServer;
  /** A second handle on the server's database, to look at its tables directly. */
  let storage: Storage;
  beforeAll(async () => {
    server = await startTestServer(backend);
    storage = createStorage(await openDatabase(server.database));
  });
  afterAll(async () => {
    await storage.close();
    await server.close();
  });

  const send = (from: TestDevice, frame: SendFrame) => sendOnce(server.url, from, frame);
  const queueOf = (device: TestDevice) => queuedOnConnect(server.url, device);

  it('pushes to the connected device only, stores nothing, and the offline device never gets it later', async () => {
    const alice = await registerAccount(server.url);
    await addDevice(server.url, alice); // alice's other device need not be covered
    const bob = await registerAccount(server.url);
    const bobOffline = await addDevice(server.url, bob);
    const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
    await bobSocket.next('queue_drained');

    const forBob = envelopeFor(bob);
    const frame = onlineOnlyFrame(bob, [forBob, envelopeFor(bobOffline)]);
    server.clock.set(1_800_000_000_000);
    expect(await send(alice, frame)).toEqual({ type: 'send_result', requestId: frame.requestId, ok: true, serverTimestamp: 1_800_000_000_000 });

    const pushed = await bobSocket.next('envelopes');
    expect(pushed.items).toEqual([
      {
        id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        sourceAccountId: alice.accountId,
        sourceDeviceId: 1,
        ciphertextType: 2,
        body: forBob.body,
        serverTimestamp: 1_800_000_000_000,
        clientTimestamp: 1_700_000_000_000,
        onlineOnly: true,
      },
    ]);
    // Nothing in the queue tables, and no idempotency record either.
    expect(await storage.envelopes.countFor(bob.accountId, bob.deviceId)).toBe(0);
    expect(await storage.envelopes.countFor(bobOffline.accountId, bobOffline.deviceId)).toBe(0);
    expect(await storage.sends.find(alice.accountId, alice.deviceId, frame.idempotencyKey)).toBeUndefined();
    await bobSocket.close();

    expect(await queueOf(bobOffline)).toEqual([]);
    expect(await queueOf(bob)).toEqual([]);
  });

  it('keeps the order and window of stored envelopes untouched: an ordinary send still arrives after one', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
    await bobSocket.next('queue_drained');
    expect((await send(alice, onlineOnlyFrame(bob, [envelopeFor(bob)]))).ok).toBe(true);
    const typing = await bobSocket.next('envelopes');
    expect(typing.items[0]?.onlineOnly).toBe(true);

    const stored = envelopeFor(bob);
    const { onlineOnly: _dropped, ...ordinary } = onlineOnlyFrame(bob, [stored]);
    expect((await send(alice, ordinary)).ok).toBe(true);
    const queued = await bobSocket.next('envelopes');
    expect(queued.items).toMatchObject([{ body: stored.body }]);
    expect(queued.items[0]).not.toHaveProperty('onlineOnly');
    await bobSocket.close();
    // The stored one waits until acked; the online-only one never comes back.
    expect((await queueOf(bob)).map((envelope) => envelope.body)).toEqual([stored.body]);
  });

  it('refuses devices the recipient does not have, stale registration ids and unknown accounts, pushing nothing', async () => {
    const alice = await registerAccount(server.url);
    const aliceSecond = await addDevice(server.url, alice);
    const bob = await registerAccount(server.url);
    const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
    await bobSocket.next('queue_drained');
    const { socket: aliceSecondSocket } = await TestSocket.ready(server.url, aliceSecond.authorization);
    await aliceSecondSocket.next('queue_drained');

    const withOwnDevice = await send(alice, onlineOnlyFrame(bob, [envelopeFor(bob), envelopeFor(aliceSecond)]));
    expect(withOwnDevice).toMatchObject({
      ok: false,
      error: { code: 'mismatched_devices', missing: [], extra: [{ accountId: alice.accountId, deviceId: 2 }] },
    });
    const wrong = (bob.keys.registrationId % 16_000) + 1;
    const stale = await send(alice, onlineOnlyFrame(bob, [envelopeFor(bob, { registrationId: wrong })]));
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale_devices', stale: [{ accountId: bob.accountId, deviceId: 1 }] } });
    const unknown = await send(alice, onlineOnlyFrame(bob, [envelopeFor(bob)], { to: crypto.randomUUID() }));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // A ping answered after all of that proves no push was on its way first.
    for (const socket of [bobSocket, aliceSecondSocket]) {
      socket.send({ type: 'ping', requestId: 'after' });
      await socket.next('pong');
      expect(socket.unreadOf('envelopes')).toEqual([]);
      await socket.close();
    }
  });
});
