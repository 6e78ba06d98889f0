import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import { testBackends } from '../testing/backends';
import { fakePreKeys } from '../testing/fakeKeys';
import { basic, registerAccount, request } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';

const portOf = (url: string) => Number(new URL(url).port);

/** Writes raw bytes on a fresh connection; resolves with whatever the server sent before it hung up (or after `waitMs`). */
function rawExchange(url: string, bytes: string | Buffer, options: { waitMs?: number; reset?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect(portOf(url), '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, options.waitMs ?? 3_000);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // A reset while the server is still answering the refusal.
      if (options.reset) {
        socket.resetAndDestroy();
        finish();
      }
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(bytes);
      if (options.reset) setTimeout(() => socket.resetAndDestroy(), 5);
    });
  });
}

const upgrade = (path: string, authorization?: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
  `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n${authorization ? `Authorization: ${authorization}\r\n` : ''}\r\n`;

describe.each(testBackends())('the gateway under hostile input on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('lives through a WebSocket upgrade to //%zz and other unparseable paths', async () => {
    for (const path of ['//%zz', '/%', '/v1/websocket%', '/v1/%E0%A4%A', `/${'a'.repeat(10_000)}`]) {
      const answer = await rawExchange(server.url, upgrade(path));
      expect(answer, path).toMatch(/^HTTP\/1\.1 (400|404|414|431)/);
    }
    expect((await request(server.url, 'GET', '/v1/health')).status).toBe(200);
  });

  it('lives through clients that reset during a refused upgrade, many times over', async () => {
    const resets = Array.from({ length: 50 }, (_, index) =>
      rawExchange(server.url, upgrade(index % 2 ? '/v1/websocket' : '//%zz', index % 3 ? 'Basic !!!' : undefined), { reset: true, waitMs: 1_000 }),
    );
    await Promise.all(resets);
    const alice = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, alice.authorization);
    socket.send({ type: 'ping', requestId: 'alive' });
    expect(await socket.next('pong')).toEqual({ type: 'pong', requestId: 'alive' });
    await socket.close();
  });

  it('refuses a 2 MiB registration with 413 from its headers alone, before reading the body', async () => {
    const head = `POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"username":`;
    const answer = await rawExchange(server.url, head);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('"payload_too_large"');
  });

  it('answers errors with the typed body and never a stack trace', async () => {
    const answers = await Promise.all([
      request(server.url, 'POST', '/v1/accounts', { rawBody: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' }),
      request(server.url, 'POST', '/v1/accounts', { rawBody: JSON.stringify({ __proto__: { admin: true }, username: 1 }) }),
      request(server.url, 'GET', '/v1/keys/not-an-account/999'),
      request(server.url, 'PATCH', '/v1/health'),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
  });

  it('serves Prometheus metrics on loopback, with counts and no identifiers', async () => {
    const alice = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, alice.authorization);
    socket.send({ type: 'ping', requestId: 'p' });
    await socket.next('pong');
    const answer = await request(server.url, 'GET', '/metrics');
    expect(answer.status).toBe(200);
    for (const name of [
      'parley_websocket_connections ',
      'parley_websocket_frames_received_total{type="ping"}',
      'parley_envelopes_stored_total',
      'parley_envelopes_delivered_total',
      'parley_queued_envelopes',
      'parley_refusals_total',
      'parley_http_request_duration_seconds_bucket',
    ]) {
      expect(answer.text).toContain(name);
    }
    expect(answer.text).not.toContain(alice.accountId);
    expect(answer.text).not.toContain(alice.username);
    // Forwarded by a reverse proxy on this machine: not a local reader.
    const proxied = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(404);
    await socket.close();
  });
});

describe('the gateway limits', () => {
  const [backend] = testBackends();

  it('refuses password attempts past the per-source limit before any hashing, and caps stored one-time prekeys', async () => {
    const server = await startTestServer(backend!, { limits: { passwordAttemptsPerSourcePerMinute: 3, storedPreKeysPerDevice: 600 } });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const answer = await request(server.url, 'DELETE', '/v1/devices/2', { authorization: basic(`nobody_${attempt}`, 'a guess at a password') });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);

      const alice = await registerAccount(server.url);
      const uploads: number[] = [];
      for (let round = 0; round < 4; round++) {
        const answer = await request(server.url, 'PUT', '/v1/keys', {
          body: { preKeys: fakePreKeys(200, 1_000 + round * 200) },
          authorization: alice.authorization,
        });
        uploads.push(answer.status);
      }
      // 5 stored at registration + 3 × 200 would pass 600: the third upload is refused, and so is the fourth.
      expect(uploads).toEqual([204, 204, 400, 400]);
      const count = await request(server.url, 'GET', '/v1/keys', { authorization: alice.authorization });
      expect((count.body as { preKeys: number }).preKeys).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('keeps /metrics off when it is not exposed', async () => {
    const server = await startTestServer(backend!, { exposeMetrics: false });
    try {
      expect((await request(server.url, 'GET', '/metrics')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('caps connections per source and hangs up on a client that never finishes its headers', async () => {
    const server = await startTestServer(backend!, { limits: { connectionsPerSource: 3, headersTimeoutMs: 300, requestTimeoutMs: 300 } });
    const sockets: Socket[] = [];
    try {
      const closedEarly = await Promise.all(
        Array.from({ length: 5 }, () => {
          const socket = connect(portOf(server.url), '127.0.0.1');
          sockets.push(socket);
          return new Promise<boolean>((resolve) => {
            socket.on('connect', () => socket.write('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
            socket.on('close', () => resolve(true));
            socket.on('error', () => undefined);
            // Reading, so the server's hang-up is seen.
            socket.resume();
            setTimeout(() => resolve(false), 150);
          });
        }),
      );
      // Two of the five were over the cap and cut at once; the other three wait for their headers' time-out.
      expect(closedEarly.filter(Boolean)).toHaveLength(2);
      const slowAnswers = await Promise.all(
        sockets.filter((socket) => !socket.destroyed).map((socket) => new Promise<boolean>((resolve) => socket.on('close', () => resolve(true)))),
      );
      expect(slowAnswers.every(Boolean)).toBe(true);
      // The slots are free again once the server has seen those connections go.
      await expect.poll(async () => (await request(server.url, 'GET', '/v1/health').catch(() => ({ status: 0 }))).status).toBe(200);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await server.close();
    }
  });

  it('pauses pushes to a client that stops reading, cuts it off, and loses nothing', async () => {
    const limit = 256 * 1024;
    const server = await startTestServer(backend!, { limits: { socketBufferedBytesMax: limit }, sessionTimings: { heartbeatMs: 300 } });
    try {
      const alice = await registerAccount(server.url);
      const bob = await registerAccount(server.url);
      const { socket: aliceSocket } = await TestSocket.ready(server.url, alice.authorization);
      const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
      // Bob's TCP reading stops: the kernel's buffers fill, then the server stops pushing to him.
      (bobSocket.socket as unknown as { _socket: Socket })._socket.pause();
      const body = randomBytes(48 * 1024).toString('base64');
      for (let index = 0; index < 120; index++) {
        aliceSocket.send({
          type: 'send',
          requestId: `r${index}`,
          idempotencyKey: `k${index}`,
          to: bob.accountId,
          timestamp: index + 1,
          envelopes: [{ accountId: bob.accountId, deviceId: 1, registrationId: bob.keys.registrationId, ciphertextType: 2, body }],
        });
        expect((await aliceSocket.next('send_result')).ok).toBe(true);
      }
      // A client that reads nothing answers no ping either: it is cut off.
      await expect.poll(() => server.logs.filter((line) => line.includes('"socket_closed"')).length, { timeout: 30_000 }).toBeGreaterThan(0);
      // Nothing was lost: the queue keeps every message for Bob's next connection.
      bobSocket.socket.terminate();
      const { socket: again } = await TestSocket.ready(server.url, bob.authorization);
      const received = await again.receiveEnvelopes(120, { ack: true });
      expect(received.map((envelope) => envelope.clientTimestamp)).toEqual(Array.from({ length: 120 }, (_, index) => index + 1));
      await Promise.all([aliceSocket.close(), again.close()]);
    } finally {
      await server.close();
    }
  });

  it('cuts off a client that stops reading while online-only frames keep coming, before it holds the limit', async () => {
    const limit = 128 * 1024;
    const server = await startTestServer(backend!, { limits: { socketBufferedBytesMax: limit } });
    try {
      const alice = await registerAccount(server.url);
      const bob = await registerAccount(server.url);
      const { socket: aliceSocket } = await TestSocket.ready(server.url, alice.authorization);
      const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
      (bobSocket.socket as unknown as { _socket: Socket })._socket.pause();
      const body = randomBytes(16 * 1024).toString('base64');
      for (let index = 0; index < 2_000 && !server.logs.some((line) => line.includes('"socket_too_slow"')); index++) {
        aliceSocket.send({
          type: 'send',
          requestId: `t${index}`,
          idempotencyKey: `t${index}`,
          to: bob.accountId,
          timestamp: index + 1,
          onlineOnly: true,
          envelopes: [{ accountId: bob.accountId, deviceId: 1, registrationId: bob.keys.registrationId, ciphertextType: 2, body }],
        });
        await aliceSocket.next('send_result');
      }
      expect(server.logs.some((line) => line.includes('"socket_too_slow"'))).toBe(true);
      const metrics = await request(server.url, 'GET', '/metrics');
      expect(metrics.text).toContain('parley_refusals_total{code="socket_buffer"} 1');
      bobSocket.socket.terminate();
      await aliceSocket.close();
    } finally {
      await server.close();
    }
  });
});

describe('TLS', () => {
  const [backend] = testBackends();

  it('serves HTTPS and WSS directly with --tls-cert and --tls-key', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
    const server = await startTestServer(backend!, { tls: { cert: Buffer.from(pems.cert), key: Buffer.from(pems.private) } });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const tls = { ca: pems.cert, checkServerIdentity: () => undefined };
      const health = await new Promise<string>((resolve, reject) => {
        const outgoing = httpsRequest(`${server.url}/v1/health`, tls, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
      expect(JSON.parse(health)).toEqual({ ok: true, protocolVersion: PROTOCOL_VERSION });

      const plain = await rawExchange(server.url, 'GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { waitMs: 1_000 });
      expect(plain).not.toContain('"ok":true');

      const alice = await registerOverTls(server.url, tls);
      const socket = new WebSocket(`${server.url.replace(/^https/, 'wss')}/v1/websocket`, { ...tls, headers: { authorization: alice } });
      const ready = await new Promise<string>((resolve, reject) => {
        socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION })));
        socket.once('message', (data) => resolve(String(data)));
        socket.once('error', reject);
      });
      expect(JSON.parse(ready)).toMatchObject({ type: 'ready' });
      socket.terminate();
    } finally {
      await server.close();
    }
  });
});

/** Registers over HTTPS with node:https (fetch would not take the test CA); resolves to the device's Authorization header. */
async function registerOverTls(baseUrl: string, tls: { ca: string; checkServerIdentity: () => undefined }): Promise<string> {
  const { fakeDeviceKeys } = await import('../testing/fakeKeys');
  const keys = fakeDeviceKeys();
  const body = JSON.stringify({ username: `tls_${randomBytes(4).toString('hex')}`, password: 'correct horse battery', device: keys });
  const answer = await new Promise<{ accountId: string }>((resolve, reject) => {
    const outgoing = httpsRequest(
      `${baseUrl}/v1/accounts`,
      { ...tls, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(text) as { accountId: string }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  return `Basic ${Buffer.from(`${answer.accountId}.1:${keys.secret}`).toString('base64')}`;
}
