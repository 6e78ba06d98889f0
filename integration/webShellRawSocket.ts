import { connect, type Socket } from 'node:net';

/** What came back on a raw connection before it closed: the bytes, and how it ended. */
export type RawAnswer = { bytes: Buffer; ended: 'closed' | 'reset' | 'timeout' };

/** The status of the first HTTP answer in `bytes`, or undefined when there is none. */
export function statusOf(bytes: Buffer): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(bytes.subarray(0, 32).toString('latin1'));
  return match ? Number(match[1]) : undefined;
}

/** Opens a plain TCP connection to 127.0.0.1:`port`. */
export function openRaw(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Writes `request` (exact bytes, nothing normalised) and collects the answer until the server
 * closes the connection, or `waitMs` passes without it doing so (then the client closes).
 */
export async function sendRaw(port: number, request: Buffer | string, waitMs = 5_000): Promise<RawAnswer> {
  const socket = await openRaw(port);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (ended: RawAnswer['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), ended });
    };
    const timer = setTimeout(() => settle('timeout'), waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => settle('reset'));
    socket.on('close', () => settle('closed'));
    socket.on('end', () => settle('closed'));
    socket.write(request);
  });
}

/** When the client resets (RST) a connection it has sent `request` on. */
export type ResetMoment = 'at once' | 'next tick' | 'at the first answer byte';

/**
 * Sends `request` and resets the connection (`resetAndDestroy`, a TCP RST) at `moment`, the way
 * a client that gives up mid-refusal does. Resolves once the connection is gone.
 */
export async function sendAndReset(port: number, request: string, moment: ResetMoment): Promise<void> {
  const socket = await openRaw(port);
  await new Promise<void>((resolve) => {
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
    socket.write(request);
    if (moment === 'at once') socket.resetAndDestroy();
    else if (moment === 'next tick') setImmediate(() => socket.resetAndDestroy());
    else {
      socket.once('data', () => socket.resetAndDestroy());
      // A server that answers nothing at all still lets the test go on.
      setTimeout(() => socket.resetAndDestroy(), 2_000).unref();
    }
  });
}

/** A WebSocket upgrade request for `path`, with `headers` added (Host first, as browsers send it). */
export function upgradeRequest(path: string, headers: Record<string, string>): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
