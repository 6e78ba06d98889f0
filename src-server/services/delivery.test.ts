import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingEnvelope, SendFrame } from '../../src-shared/protocol/frames';
import { testBackends } from '../testing/backends';
import { addDevice, registerAccount, type TestDevice } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';

const newId = () => randomBytes(9).toString('base64url');

/** An envelope for `device` with the registration id the server knows, unless told otherwise. */
const envelopeFor = (device: TestDevice, overrides: Partial<OutgoingEnvelope> = {}): OutgoingEnvelope => ({
  accountId: device.accountId,
  deviceId: device.deviceId,
  registrationId: device.keys.registrationId,
  ciphertextType: 3,
  body: randomBytes(48).toString('base64'),
  ...overrides,
});

const sendFrame = (to: TestDevice, envelopes: OutgoingEnvelope[], overrides: Partial<SendFrame> = {}): SendFrame => ({
  type: 'send',
  requestId: newId(),
  idempotencyKey: newId(),
  to: to.accountId,
  timestamp: 1_700_000_000_000,
  envelopes,
  ...overrides,
});

describe.each(testBackends())('sending on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    // Many accounts register from one loopback address here.
    server = await startTestServer(backend, { limits: { registrationsPerSourcePerHour: 1_000 } });
  });
  afterAll(() => server.close());

  /** Sends one frame from `from` over a fresh socket and returns the result. */
  async function send(from: TestDevice, frame: SendFrame) {
    const { socket } = await TestSocket.ready(server.url, from.authorization);
    socket.send(frame);
    const result = await socket.next('send_result');
    await socket.close();
    expect(result.requestId).toBe(frame.requestId);
    return result;
  }

  /** Everything queued for `device`, read (and left unacked) over a fresh socket. */
  async function queued(device: TestDevice) {
    const { socket } = await TestSocket.ready(server.url, device.authorization);
    await socket.next('queue_drained');
    const envelopes = socket.received.flatMap((frame) => (frame.type === 'envelopes' ? frame.items : []));
    await socket.close();
    return envelopes;
  }

  it('stores an envelope for the one device of the recipient and delivers it with the sender named', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const envelope = envelopeFor(bob);
    server.clock.set(1_800_000_000_000);
    const result = await send(alice, sendFrame(bob, [envelope], { timestamp: 1_799_999_999_000 }));
    expect(result).toMatchObject({ ok: true, serverTimestamp: 1_800_000_000_000 });
    expect(await queued(bob)).toEqual([
      {
        id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        sourceAccountId: alice.accountId,
        sourceDeviceId: 1,
        ciphertextType: 3,
        body: envelope.body,
        serverTimestamp: 1_800_000_000_000,
        clientTimestamp: 1_799_999_999_000,
      },
    ]);
  });

  it('refuses a send that leaves out a device of the recipient with mismatched_devices, storing nothing', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const bobSecond = await addDevice(server.url, bob);
    const result = await send(alice, sendFrame(bob, [envelopeFor(bob)]));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'mismatched_devices', missing: [{ accountId: bob.accountId, deviceId: 2 }], extra: [] },
    });
    expect(await queued(bob)).toEqual([]);
    expect(await queued(bobSecond)).toEqual([]);
  });

  it('refuses envelopes for devices that do not exist or belong to someone else as extra', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const carol = await registerAccount(server.url);
    const result = await send(
      alice,
      sendFrame(bob, [envelopeFor(bob), envelopeFor(bob, { deviceId: 5 }), envelopeFor(carol)]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('mismatched_devices');
    expect(result.error.missing).toEqual([]);
    expect(result.error.extra).toHaveLength(2);
    expect(result.error.extra).toEqual(
      expect.arrayContaining([
        { accountId: bob.accountId, deviceId: 5 },
        { accountId: carol.accountId, deviceId: 1 },
      ]),
    );
    expect(await queued(bob)).toEqual([]);
    expect(await queued(carol)).toEqual([]);
  });

  it("requires the sender's other devices, and refuses the sending device itself", async () => {
    const alice = await registerAccount(server.url);
    const aliceSecond = await addDevice(server.url, alice);
    const bob = await registerAccount(server.url);

    const withoutOwn = await send(alice, sendFrame(bob, [envelopeFor(bob)]));
    expect(withoutOwn).toMatchObject({
      ok: false,
      error: { code: 'mismatched_devices', missing: [{ accountId: alice.accountId, deviceId: 2 }], extra: [] },
    });
    const withSelf = await send(alice, sendFrame(bob, [envelopeFor(bob), envelopeFor(aliceSecond), envelopeFor(alice)]));
    expect(withSelf).toMatchObject({
      ok: false,
      error: { code: 'mismatched_devices', missing: [], extra: [{ accountId: alice.accountId, deviceId: 1 }] },
    });

    const complete = await send(alice, sendFrame(bob, [envelopeFor(bob), envelopeFor(aliceSecond)]));
    expect(complete.ok).toBe(true);
    expect(await queued(bob)).toHaveLength(1);
    expect(await queued(aliceSecond)).toMatchObject([{ sourceAccountId: alice.accountId, sourceDeviceId: 1 }]);
    expect(await queued(alice)).toEqual([]);
  });

  it('treats a send to oneself as a send to all of one’s other devices', async () => {
    const alice = await registerAccount(server.url);
    const aliceSecond = await addDevice(server.url, alice);
    const aliceThird = await addDevice(server.url, alice);
    const partial = await send(alice, sendFrame(alice, [envelopeFor(aliceSecond)]));
    expect(partial).toMatchObject({
      ok: false,
      error: { code: 'mismatched_devices', missing: [{ accountId: alice.accountId, deviceId: 3 }] },
    });
    expect((await send(alice, sendFrame(alice, [envelopeFor(aliceSecond), envelopeFor(aliceThird)]))).ok).toBe(true);
    expect(await queued(aliceSecond)).toHaveLength(1);
    expect(await queued(aliceThird)).toHaveLength(1);

    const lonely = await registerAccount(server.url);
    const alone = await send(lonely, sendFrame(lonely, [envelopeFor(lonely)]));
    expect(alone).toMatchObject({ ok: false, error: { code: 'mismatched_devices', missing: [], extra: [{ deviceId: 1 }] } });
  });

  it('refuses a registration id that differs from the device’s with stale_devices, storing nothing', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const bobSecond = await addDevice(server.url, bob);
    const wrong = (bobSecond.keys.registrationId % 16_000) + 1;
    const result = await send(alice, sendFrame(bob, [envelopeFor(bob), envelopeFor(bobSecond, { registrationId: wrong })]));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'stale_devices', stale: [{ accountId: bob.accountId, deviceId: 2 }] },
    });
    expect(await queued(bob)).toEqual([]);
  });

  it('refuses unknown recipients and two envelopes for one device', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const unknown = await send(alice, sendFrame(bob, [envelopeFor(bob)], { to: crypto.randomUUID() }));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const twice = await send(alice, sendFrame(bob, [envelopeFor(bob), envelopeFor(bob)]));
    expect(twice).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await queued(bob)).toEqual([]);
  });

  it('answers a repeated idempotency key with the first result and stores nothing new', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const frame = sendFrame(bob, [envelopeFor(bob)]);
    server.clock.set(1_800_000_000_000);
    const first = await send(alice, frame);
    server.clock.advance(5_000);
    const again = await send(alice, { ...frame, requestId: newId(), envelopes: [envelopeFor(bob)] });
    expect(first).toMatchObject({ ok: true, serverTimestamp: 1_800_000_000_000 });
    expect(again).toMatchObject({ ok: true, serverTimestamp: 1_800_000_000_000 });
    expect(await queued(bob)).toHaveLength(1);
  });

  it('answers concurrent repeats on one socket once each, storing one copy', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, alice.authorization);
    const frame = sendFrame(bob, [envelopeFor(bob)]);
    for (let index = 0; index < 5; index++) socket.send({ ...frame, requestId: `repeat-${index}` });
    const results = await Promise.all([0, 1, 2, 3, 4].map(() => socket.next('send_result')));
    expect(results.map((result) => result.requestId)).toEqual(['repeat-0', 'repeat-1', 'repeat-2', 'repeat-3', 'repeat-4']);
    expect(new Set(results.map((result) => (result.ok ? result.serverTimestamp : -1))).size).toBe(1);
    await socket.close();
    expect(await queued(bob)).toHaveLength(1);
  });

  it('scopes idempotency keys to the sending device, and lets a refused send be retried with its key', async () => {
    const alice = await registerAccount(server.url);
    const aliceSecond = await addDevice(server.url, alice);
    const bob = await registerAccount(server.url);
    const key = newId();
    const refused = await send(alice, sendFrame(bob, [envelopeFor(bob)], { idempotencyKey: key }));
    expect(refused.ok).toBe(false);
    expect((await send(alice, sendFrame(bob, [envelopeFor(bob), envelopeFor(aliceSecond)], { idempotencyKey: key }))).ok).toBe(true);
    expect((await send(aliceSecond, sendFrame(bob, [envelopeFor(bob), envelopeFor(alice)], { idempotencyKey: key }))).ok).toBe(true);
    expect(await queued(bob)).toHaveLength(2);
  });

  it('pushes a send to the recipient while it is online, after the sender has its result', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
    await bobSocket.next('queue_drained');
    const { socket: aliceSocket } = await TestSocket.ready(server.url, alice.authorization);
    const envelope = envelopeFor(bob);
    aliceSocket.send(sendFrame(bob, [envelope]));
    expect((await aliceSocket.next('send_result')).ok).toBe(true);
    const pushed = await bobSocket.next('envelopes');
    expect(pushed.items.map((item) => item.body)).toEqual([envelope.body]);
    await aliceSocket.close();
    await bobSocket.close();
  });
});
