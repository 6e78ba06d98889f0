import { connect, type Socket } from 'node:net';

/**
 * Raw HTTP/1.x over `net`, for requests node's fetch refuses to send. Every exchange has a
 * deadline and always destroys its socket, whatever happens.
 */

/** How an exchange ended: a whole answer was read, the server closed or reset, or the deadline passed. */
export type Ending = 'answered' | 'closed' | 'reset' | 'timeout' | 'refused';

export type RawAnswer = {
  ending: Ending;
  /** The final (non-1xx, or 101) status, when an answer head arrived. */
  status?: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Every byte read. */
  bytes: Buffer;
};

type Head = { status: number; headers: Record<string, string>; bodyStart: number };

function parseHead(bytes: Buffer, from: number): Head | undefined {
  const end = bytes.indexOf('\r\n\r\n', from, 'latin1');
  if (end < 0) return undefined;
  const lines = bytes.subarray(from, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!match) return { status: 0, headers: {}, bodyStart: end + 4 };
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), headers, bodyStart: end + 4 };
}

/** Whether a chunked body starting at `from` is complete; the decoded body when it is. */
function chunkedBody(bytes: Buffer, from: number): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return Buffer.concat(parts);
    if (size === 0) return bytes.indexOf('\r\n', lineEnd + 2, 'latin1') >= 0 ? Buffer.concat(parts) : undefined;
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The answer in `bytes` if it is complete: head and body (by Content-Length, chunks, or none). */
function completeAnswer(bytes: Buffer, method: string): Omit<RawAnswer, 'ending' | 'bytes'> | undefined {
  let from = 0;
  for (;;) {
    const head = parseHead(bytes, from);
    if (!head) return undefined;
    if (head.status === 0) return { headers: {}, body: Buffer.alloc(0) };
    // Interim answers (100 Continue) precede the real one.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      from = head.bodyStart;
      continue;
    }
    const noBody = method === 'HEAD' || head.status === 101 || head.status === 204 || head.status === 304;
    if (noBody) return { status: head.status, headers: head.headers, body: Buffer.alloc(0) };
    if (/chunked/i.test(head.headers['transfer-encoding'] ?? '')) {
      const body = chunkedBody(bytes, head.bodyStart);
      return body ? { status: head.status, headers: head.headers, body } : undefined;
    }
    const length = head.headers['content-length'];
    if (length === undefined) return undefined; // read until close
    const wanted = Number(length);
    if (bytes.length - head.bodyStart < wanted) return undefined;
    return { status: head.status, headers: head.headers, body: bytes.subarray(head.bodyStart, head.bodyStart + wanted) };
  }
}

/** Opens a TCP connection to 127.0.0.1:`port`; rejects if it cannot within `timeoutMs`. */
export function openRaw(port: number, timeoutMs = 5_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('connect timed out'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
  });
}

/**
 * Writes `request` (as given, in `pieces` if more than one, nothing normalised) and reads until a
 * whole answer arrived, the server closed, or `timeoutMs` passed. The socket is destroyed in
 * every case.
 */
export async function exchange(port: number, pieces: Buffer[], method: string, timeoutMs: number): Promise<RawAnswer> {
  let socket: Socket;
  try {
    socket = await openRaw(port);
  } catch {
    return { ending: 'refused', headers: {}, body: Buffer.alloc(0), bytes: Buffer.alloc(0) };
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (ending: Ending) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      const answer = completeAnswer(bytes, method) ?? { ...(parseHead(bytes, 0)?.status ? { status: parseHead(bytes, 0)!.status } : {}), headers: {}, body: Buffer.alloc(0) };
      resolve({ ending, bytes, ...answer });
    };
    const timer = setTimeout(() => settle('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (completeAnswer(Buffer.concat(chunks), method)) settle('answered');
    });
    socket.on('error', () => settle('reset'));
    socket.on('end', () => settle('closed'));
    socket.on('close', () => settle('closed'));
    // Writes to a socket the server already closed fail with EPIPE, reported through 'error'.
    for (const piece of pieces) {
      if (socket.destroyed) break;
      socket.write(piece);
    }
  });
}
