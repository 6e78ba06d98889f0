import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '../../../src-shared/protocol/version';
import { streamLogger } from '../util/streamLogger';
import { InsecureTransportError } from '../api/serverTransport';
import { ServerConnection } from './serverConnection';

/** A scripted server: answers hello with ready, and each frame with `reply`. */
async function scriptedServer(reply: (frame: { type: string; requestId?: string }, socket: WebSocket) => void) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; requestId?: string };
      if (frame.type === 'hello') {
        socket.send(JSON.stringify({ type: 'ready', protocolVersion: PROTOCOL_VERSION, accountId: randomUUID(), deviceId: 1, serverTime: Date.now(), preKeys: 100, kyberPreKeys: 100 }));
      } else {
        reply(frame, socket);
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, connections: () => connections };
}

const sendFrame = { type: 'send' as const, idempotencyKey: 'k1', to: randomUUID(), timestamp: 1, envelopes: [] };

describe('ServerConnection', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup(); // clients before their server
  });

  const connect = async (url: string, extra: { silenceTimeoutMs?: number } = {}) => {
    const connection = new ServerConnection({
      serverUrl: url,
      credentials: { accountId: randomUUID(), deviceId: 1, secret: 'x' },
      logger: streamLogger(process.env.DEBUG_TEST ? 'debug' : 'silent', (line) => process.stderr.write(line)),
      backoff: { initialMs: 10, maxMs: 20 },
      ...extra,
    });
    cleanups.push(() => connection.stop());
    const ready = new Promise((resolve) => connection.onReady.on(resolve));
    connection.start();
    await ready;
    return connection;
  };

  it('answers a request the server refused with an error frame at once, instead of waiting it out', async () => {
    const { url, server } = await scriptedServer((frame, socket) =>
      socket.send(JSON.stringify({ type: 'error', requestId: frame.requestId, error: { code: 'payload_too_large', message: 'too big' } })),
    );
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const connection = await connect(url);
    const started = Date.now();
    const result = await connection.request(sendFrame);
    expect(result).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('drops a silent server and connects again', async () => {
    const { url, server, connections } = await scriptedServer(() => undefined);
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const connection = await connect(url, { silenceTimeoutMs: 200 });
    const reconnected = new Promise((resolve) => connection.onReady.on(resolve));
    await reconnected;
    expect(connections()).toBeGreaterThanOrEqual(2);
  });

  it('ignores frames that do not match the protocol', async () => {
    const { url, server } = await scriptedServer((frame, socket) => {
      socket.send('{"type":"envelopes","items":"not a list"}');
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'send_result', requestId: frame.requestId, ok: true, serverTimestamp: 5 }));
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const connection = await connect(url);
    const received: unknown[] = [];
    connection.onEnvelopes.on((items) => received.push(items));
    expect(await connection.request(sendFrame)).toMatchObject({ ok: true, serverTimestamp: 5 });
    expect(received).toEqual([]);
  });

  it('refuses ws:// to another machine unless allowed, and takes wss:// and this machine as they are', () => {
    const options = (serverUrl: string, allowInsecureTransport?: boolean) => ({
      serverUrl,
      credentials: { accountId: randomUUID(), deviceId: 1, secret: 'x' },
      logger: streamLogger('silent', () => undefined),
      allowInsecureTransport,
    });
    expect(() => new ServerConnection(options('http://chat.example:8787'))).toThrow(InsecureTransportError);
    expect(() => new ServerConnection(options('http://192.168.1.20'))).toThrow('--insecure');
    expect(() => new ServerConnection(options('http://chat.example:8787', true))).not.toThrow();
    expect(() => new ServerConnection(options('https://chat.example'))).not.toThrow();
    expect(() => new ServerConnection(options('http://127.0.0.1:7180'))).not.toThrow();
    expect(() => new ServerConnection(options('http://[::1]:7180'))).not.toThrow();
  });
});
