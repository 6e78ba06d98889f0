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

/** How much of an HTTP answer `bytes` holds: nothing yet, an interim or partial answer, or a whole one. */
function answerIsWhole(bytes: Buffer, bodyless: boolean): boolean {
  let rest = bytes;
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) return false;
    const head = rest.subarray(0, headEnd).toString('latin1');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
    rest = rest.subarray(headEnd + 4);
    if (status >= 100 && status < 200 && status !== 101) continue; // 100 Continue: the answer follows
    if (bodyless || status === 101 || status === 204 || status === 304) return true;
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (length !== undefined) return rest.length >= Number(length);
    if (/\r\ntransfer-encoding: *chunked/i.test(head)) return rest.includes('0\r\n\r\n');
    return false;
  }
}

/**
 * One request on its own connection, the way a fuzzer needs it: a whole answer ends the exchange
 * at once; a request the client knows is cut short is followed by a half-close; and a server that
 * neither answers nor closes within `idleMs` is half-closed too, after which it must close the
 * connection within `closeMs` or the result is 'timeout'.
 */
export async function exchange(port: number, request: Buffer, options: { complete: boolean; idleMs?: number; closeMs?: number }): Promise<RawAnswer> {
  const socket = await openRaw(port);
  const bodyless = request.subarray(0, 5).toString('latin1') === 'HEAD ';
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (ended: RawAnswer['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), ended });
    };
    const halfClose = () => {
      if (!socket.destroyed) socket.end();
      clearTimeout(timer);
      timer = setTimeout(() => settle('timeout'), options.closeMs ?? 10_000);
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (answerIsWhole(Buffer.concat(chunks), bodyless)) settle('closed');
    });
    socket.on('error', () => settle('reset'));
    socket.on('close', () => settle('closed'));
    socket.on('end', () => settle('closed'));
    socket.write(request);
    if (options.complete) timer = setTimeout(halfClose, options.idleMs ?? 500);
    else halfClose();
  });
}
