import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-shared/domain/limits';
import { testBackends } from '../testing/backends';
import { basic, registerAccount, type TestDevice } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';
import { CLOSE_CODES } from './websocketSession';

const validSend = (to: TestDevice, requestId: string) => ({
  type: 'send',
  requestId,
  idempotencyKey: randomBytes(8).toString('hex'),
  to: to.accountId,
  timestamp: 1,
  envelopes: [
    { accountId: to.accountId, deviceId: 1, registrationId: to.keys.registrationId, ciphertextType: 2, body: 'AAAA' },
  ],
});

describe.each(testBackends())('device sockets on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('refuses the upgrade with 401 before it happens when credentials are bad or missing', async () => {
    const alice = await registerAccount(server.url);
    expect(await TestSocket.refusal(server.url, '/v1/websocket')).toBe(401);
    expect(await TestSocket.refusal(server.url, '/v1/websocket', basic(`${alice.accountId}.1`, 'wrong-secret-wrong-secret'))).toBe(401);
    expect(await TestSocket.refusal(server.url, '/v1/websocket', basic(`${alice.accountId}.2`, alice.secret))).toBe(401);
    expect(await TestSocket.refusal(server.url, '/v1/elsewhere', alice.authorization)).toBe(404);
  });

  it('answers hello with ready, naming the device, its prekey counts and its queued envelopes', async () => {
    const alice = await registerAccount(server.url);
    const { socket, ready } = await TestSocket.ready(server.url, alice.authorization);
    expect(ready).toEqual({
      type: 'ready',
      protocolVersion: 1,
      accountId: alice.accountId,
      deviceId: 1,
      serverTime: server.clock.now(),
      preKeys: 5,
      kyberPreKeys: 5,
      queued: 0,
    });
    await socket.next('queue_drained');
    socket.send({ type: 'ping', requestId: 'p1' });
    expect(await socket.next('pong')).toEqual({ type: 'pong', requestId: 'p1' });
    await socket.close();
  });

  it('refuses every frame before hello, then accepts hello', async () => {
    const alice = await registerAccount(server.url);
    const socket = await TestSocket.open(server.url, alice.authorization);
    socket.send({ type: 'ping', requestId: 'early' });
    expect(await socket.next('error')).toMatchObject({ requestId: 'early', error: { code: 'bad_request' } });
    socket.send({ type: 'ack', envelopeIds: ['x'] });
    expect(await socket.next('error')).toMatchObject({ error: { code: 'bad_request' } });
    socket.send({ type: 'hello', protocolVersion: 1 });
    await socket.next('ready');
    socket.send({ type: 'hello', protocolVersion: 1 });
    expect(await socket.next('error')).toMatchObject({ error: { code: 'bad_request' } });
    await socket.close();
  });

  it('answers another protocol version with unsupported_version, then closes', async () => {
    const alice = await registerAccount(server.url);
    const socket = await TestSocket.open(server.url, alice.authorization);
    socket.send({ type: 'hello', protocolVersion: 2 });
    expect(await socket.next('error')).toMatchObject({ error: { code: 'unsupported_version' } });
    expect((await socket.closed).code).toBe(CLOSE_CODES.unsupportedVersion);
  });

  it('closes a socket that never says hello', async () => {
    const quick = await startTestServer(backend, { sessionTimings: { helloTimeoutMs: 100 } });
    try {
      const alice = await registerAccount(quick.url);
      const socket = await TestSocket.open(quick.url, alice.authorization);
      expect((await socket.closed).code).toBe(CLOSE_CODES.helloTimeout);
    } finally {
      await quick.close();
    }
  });

  it('answers malformed frames with typed errors while the same socket keeps working', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, alice.authorization);
    await socket.next('queue_drained');

    socket.sendRaw('{"type": "send", ');
    expect(await socket.next('error')).toMatchObject({ error: { code: 'bad_request', message: 'the frame is not JSON' } });
    socket.send({ type: 'teleport', requestId: 'r-unknown' });
    expect(await socket.next('error')).toMatchObject({ requestId: 'r-unknown', error: { code: 'bad_request' } });
    socket.send({ ...validSend(bob, 'r-types'), timestamp: 'yesterday', envelopes: 'all of them' });
    const typed = await socket.next('error');
    expect(typed).toMatchObject({ requestId: 'r-types', error: { code: 'bad_request' } });
    expect(typed.error.message).toMatch(/timestamp|envelopes/);
    socket.send({ ...validSend(bob, 'r-body'), envelopes: [{ ...validSend(bob, 'x').envelopes[0], body: 'not base64!' }] });
    expect(await socket.next('error')).toMatchObject({ requestId: 'r-body', error: { code: 'bad_request' } });
    socket.send([1, 2, 3]);
    socket.send(null);
    socket.sendRaw('"just a string"');
    for (let index = 0; index < 3; index++) expect(await socket.next('error')).toMatchObject({ error: { code: 'bad_request' } });
    socket.sendRaw(Buffer.from([1, 2, 3]), true);
    expect(await socket.next('error')).toMatchObject({ error: { code: 'bad_request' } });
    socket.sendRaw(`{"type":"ping","pad":"${'x'.repeat(LIMITS.frameMaxBytes)}"}`);
    expect(await socket.next('error')).toMatchObject({ error: { code: 'payload_too_large' } });

    socket.send(validSend(bob, 'r-good'));
    expect(await socket.next('send_result')).toMatchObject({ requestId: 'r-good', ok: true });
    await socket.close();
  });

  it('answers pipelined frames in arrival order, a pong only after every frame before it', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, alice.authorization);
    await socket.next('queue_drained');
    // More frames than a session takes up before it pauses reading, with a refusal among them.
    const count = 40;
    for (let index = 0; index < count; index++) {
      const frame = validSend(bob, `r${index}`);
      socket.send(index === 7 ? { ...frame, envelopes: [{ ...frame.envelopes[0], deviceId: 2 }] } : frame);
    }
    socket.send({ type: 'ping', requestId: 'after-sends' });
    await socket.next('pong');
    const answers = socket.received.filter((frame) => frame.type === 'send_result' || frame.type === 'pong');
    expect(answers.map((frame) => ('requestId' in frame ? frame.requestId : undefined))).toEqual([
      ...Array.from({ length: count }, (_, index) => `r${index}`),
      'after-sends',
    ]);
    expect(answers.map((frame) => frame.type === 'send_result' && frame.ok)).toEqual([
      ...Array.from({ length: count }, (_, index) => index !== 7),
      false,
    ]);
    await socket.close();

    const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
    await bobSocket.next('queue_drained');
    const queued = bobSocket.received.flatMap((frame) => (frame.type === 'envelopes' ? frame.items : []));
    expect(queued).toHaveLength(count - 1);
    await bobSocket.close();
  });

  it('closes with 1009 a frame past the hard limit, and the server carries on', async () => {
    const alice = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, alice.authorization);
    socket.sendRaw('x'.repeat(LIMITS.frameMaxBytes * 2 + 1));
    expect((await socket.closed).code).toBe(1009);
    const { socket: again } = await TestSocket.ready(server.url, alice.authorization);
    await again.close();
  });

  it('closes the older socket when the same device connects again', async () => {
    const alice = await registerAccount(server.url);
    const { socket: older } = await TestSocket.ready(server.url, alice.authorization);
    const { socket: newer } = await TestSocket.ready(server.url, alice.authorization);
    expect((await older.closed).code).toBe(CLOSE_CODES.replaced);
    newer.send({ type: 'ping' });
    expect(await newer.next('pong')).toEqual({ type: 'pong' });
    await newer.close();
  });

  it('keeps other clients working while one misbehaves', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const { socket: noisy } = await TestSocket.ready(server.url, alice.authorization);
    const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
    for (let index = 0; index < 50; index++) noisy.sendRaw(index % 2 ? '{' : '{"type":"send"}');
    const { socket: carolSocket } = await TestSocket.ready(server.url, (await registerAccount(server.url)).authorization);
    bobSocket.send({ type: 'ping', requestId: 'still-here' });
    expect(await bobSocket.next('pong')).toEqual({ type: 'pong', requestId: 'still-here' });
    await Promise.all([noisy.close(), bobSocket.close(), carolSocket.close()]);
  });

  it('cuts off a socket whose peer stops answering pings', async () => {
    const quick = await startTestServer(backend, { sessionTimings: { helloTimeoutMs: 5_000, heartbeatMs: 50 } });
    try {
      const alice = await registerAccount(quick.url);
      const { socket } = await TestSocket.ready(quick.url, alice.authorization);
      // A paused client reads nothing, so it answers no ping: as if its network vanished.
      socket.socket.pause();
      await expect
        .poll(() => quick.logs.some((line) => line.includes('"socket_closed"')), { timeout: 5_000 })
        .toBe(true);
      socket.socket.terminate();
    } finally {
      await quick.close();
    }
  });
});
