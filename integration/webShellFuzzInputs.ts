import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { WEB_BRIDGE_LIMITS, WEB_BRIDGE_PATH } from '../src-shared/ipc/webBridgeFrames';

/**
 * Generators for the web shell's fuzz suite (webShellFuzz.test.ts): raw HTTP requests as bytes,
 * bridge frame payloads as the page would send them, and raw WebSocket frames below `ws`.
 */

/** What a request may know: the shell's port and the valid session cookie. */
export type Target = { port: number; cookie: string };

const CRLF = fc.constantFrom('\r\n', '\r\n', '\r\n', '\r\n', '\n', '\r');
const headerName = fc.oneof(
  fc.constantFrom('Host', 'Cookie', 'Origin', 'Content-Length', 'Transfer-Encoding', 'Content-Encoding', 'Accept-Encoding',
    'Connection', 'Upgrade', 'Expect', 'Range', 'If-None-Match', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'X-Forwarded-For'),
  fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,30}$/),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const percentGarbage = fc.constantFrom('%zz', '%', '%0', '%00', '%2e%2e', '%2E%2e%2f', '%c0%ae', '%ff%fe', '%u2215', '%%', '%5c');
const pathSegment = fc.oneof(fc.webSegment(), fc.constantFrom('..', '.', '', 'assets', 'app.js', 'index.html', '.git', '\\'), percentGarbage);

const pathArbitrary = fc.oneof(
  fc.constantFrom('/', '/index.html', '/assets/app.js', '/assets/style.css', '/parley-bridge.js', '/favicon.ico', WEB_BRIDGE_PATH,
    '//%zz', '/%', '*', '/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', 'http://127.0.0.1/../secret.txt',
    'http://%zz/', '//etc/passwd', '/?token=', '/?token=%zz', '/?token=a&token=b'),
  fc.array(pathSegment, { maxLength: 8 }).map((segments) => `/${segments.join('/')}`),
  fc.webPath(),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 80_000 }).map((length) => `/${'a'.repeat(length)}`),
);
const queryArbitrary = fc.option(fc.oneof(fc.webQueryParameters(), fc.constantFrom('token=%zz', 'token=', '%', '&&=', 'a=%ff'), fc.string({ maxLength: 30 })), {
  freq: 2,
});

const methodArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PRI') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z]{1,12}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const versionArbitrary = fc.oneof(
  { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 2, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', 'http/1.1', 'HTTP/9', '') },
);

function headerValues(target: Target): fc.Arbitrary<[string, string]> {
  const { port, cookie } = target;
  return fc.oneof(
    fc.constantFrom<[string, string]>(
      ['Host', `127.0.0.1:${port}`],
      ['Host', `127.0.0.1:${port}`],
      ['Host', `localhost:${port}`],
      ['Host', 'evil.example'],
      ['Host', '%zz'],
      ['Cookie', cookie],
      ['Cookie', cookie],
      ['Cookie', `parley-session-${port}=forged`],
      ['Cookie', '=;;=%zz; parley-session=%'],
      ['Cookie', `${cookie}; ${cookie}`],
      ['Origin', `http://127.0.0.1:${port}`],
      ['Origin', '//%zz'],
      ['Origin', 'null'],
      ['Content-Length', '0'],
      ['Content-Length', '-1'],
      ['Content-Length', '99999999999999999999'],
      ['Content-Length', '5, 6'],
      ['Content-Length', 'abc'],
      ['Transfer-Encoding', 'chunked'],
      ['Transfer-Encoding', 'gzip, chunked'],
      ['Transfer-Encoding', 'chunked, identity'],
      ['Content-Encoding', 'gzip'],
      ['Content-Encoding', 'br'],
      ['Accept-Encoding', 'gzip, deflate, br, zstd'],
      ['Connection', 'Upgrade'],
      ['Connection', 'close'],
      ['Connection', 'keep-alive'],
      ['Upgrade', 'websocket'],
      ['Upgrade', 'h2c'],
      ['Expect', '100-continue'],
      ['Range', 'bytes=0-1,-5,999999-'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Key', '%zz'],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Version', '8'],
    ),
    fc.tuple(headerName, fc.string({ unit: 'binary', maxLength: 60 })),
    fc.tuple(fc.constantFrom('Cookie', 'X-Long', 'Origin'), fc.integer({ min: 4_000, max: 20_000 }).map((length) => 'c'.repeat(length))),
  );
}

/** The body and how it is framed: as is, chunked (correctly or not), or with a lying length. */
const bodyArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ framing: 'none' as const, bytes: new Uint8Array() }) },
  { weight: 3, arbitrary: fc.record({ framing: fc.constantFrom('length' as const, 'raw' as const, 'chunked' as const, 'bad-chunks' as const), bytes: fc.uint8Array({ maxLength: 2_048 }) }) },
  { weight: 1, arbitrary: fc.record({ framing: fc.constant('length' as const), bytes: fc.integer({ min: 10_000, max: 200_000 }).map((size) => new Uint8Array(size).fill(0x61)) }) },
);

function chunked(bytes: Uint8Array, valid: boolean): Buffer {
  const body = Buffer.from(bytes);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += 500) {
    const part = body.subarray(offset, offset + 500);
    chunks.push(Buffer.from(`${valid ? part.length.toString(16) : 'zz'}\r\n`), part, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(valid ? '0\r\n\r\n' : 'ffffffffffffffffff\r\n'));
  return Buffer.concat(chunks);
}

/** A whole HTTP request as the bytes to write, sometimes cut short or with a few bytes changed. */
/** A request's bytes, and whether they were cut short (then no answer can be waited for). */
export type HttpRequestInput = { bytes: Buffer; complete: boolean };

export function httpRequestArbitrary(target: Target): fc.Arbitrary<HttpRequestInput> {
  return fc
    .record({
      method: methodArbitrary,
      path: pathArbitrary,
      query: queryArbitrary,
      version: versionArbitrary,
      lineEnd: CRLF,
      headers: fc.oneof(
        { weight: 9, arbitrary: fc.array(headerValues(target), { maxLength: 10 }) },
        { weight: 1, arbitrary: fc.integer({ min: 100, max: 400 }).map((count) => Array.from({ length: count }, (_, index): [string, string] => [`X-${index}`, 'v'])) },
      ),
      body: bodyArbitrary,
      cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 8 }),
      flips: fc.option(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), { freq: 8 }),
    })
    .map(({ method, path, query, version, lineEnd, headers, body, cut, flips }) => {
      const lines = [`${method} ${path}${query === null ? '' : `?${query}`}${version ? ` ${version}` : ''}`];
      for (const [name, value] of headers) lines.push(`${name}: ${value}`);
      let payload: Buffer = Buffer.from(body.bytes);
      if (body.framing === 'length') lines.push(`Content-Length: ${payload.length}`);
      if (body.framing === 'chunked' || body.framing === 'bad-chunks') {
        lines.push('Transfer-Encoding: chunked');
        payload = chunked(body.bytes, body.framing === 'chunked');
      }
      let bytes = Buffer.concat([Buffer.from(`${lines.join(lineEnd)}${lineEnd}${lineEnd}`, 'latin1'), payload]);
      if (cut !== null) bytes = bytes.subarray(0, Math.floor(bytes.length * cut));
      if (flips !== null && bytes.length > 0) {
        bytes = Buffer.from(bytes);
        for (const [where, value] of flips) bytes[Math.min(bytes.length - 1, Math.floor(where * bytes.length))] = value;
      }
      return { bytes, complete: cut === null };
    });
}

/** One frame a page could send over a working `ws` socket; `answered` says what the shell must reply. */
export type PageFrameInput =
  | { kind: 'text'; text: string; callId: number | undefined }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'too_long'; bytes: number };

/** Service and method names the fuzz may call for real: none changes the profile or reaches the server. */
const HARMLESS_CALLS = [
  ['account', 'getState'],
  ['account', 'historyKey'],
  ['messaging', 'readInbox'],
  ['messaging', 'getConnectionStatus'],
  ['messaging', 'confirmInbox'],
  ['contacts', 'usernameOf'],
  ['account', 'toString'],
  ['account', '__proto__'],
  ['constructor', 'prototype'],
  ['messaging', 'hasOwnProperty'],
] as const;

const deepNesting = fc
  .record({ depth: fc.integer({ min: 10, max: 100_000 }), shape: fc.constantFrom('array', 'object', 'mixed') })
  .map(({ depth, shape }) => {
    if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return `${'[{"a":'.repeat(depth)}0${'}]'.repeat(depth)}`;
  });

/**
 * Text, binary and oversized frames: valid calls (each with a fresh id, answered by a `result`),
 * calls with fields of the wrong type or missing, any JSON, cut-off JSON, deep nesting (alone or
 * as a call's argument), text that is not JSON, binary frames, and frames just over the limit.
 */
export function pageFrameArbitrary(nextId: () => number): fc.Arbitrary<PageFrameInput> {
  const text = (value: string): PageFrameInput => ({ kind: 'text', text: value, callId: undefined });
  const validCall = fc
    .record({
      name: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...HARMLESS_CALLS) },
        { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 100 }), fc.string({ minLength: 1, maxLength: 100 })) },
      ),
      argument: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant({}), fc.constant({ limit: 5 }), fc.constant({ inboxIds: ['x'] })),
    })
    .filter(({ name }) => !['register', 'unlock', 'sendText', 'sendTyping', 'sendReadReceipts', 'findByUsername'].includes(name[1]))
    .map(({ name, argument }): PageFrameInput => {
      const id = nextId();
      return { kind: 'text', text: JSON.stringify({ type: 'call', id, service: name[0], method: name[1], argument }), callId: id };
    });
  const wrongTypes = fc
    .record(
      {
        type: fc.oneof(fc.constant('call'), fc.jsonValue({ maxDepth: 1 })),
        id: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER + 2, '1', null)),
        service: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.string({ minLength: 101, maxLength: 200 }), fc.constant('')),
        method: fc.jsonValue({ maxDepth: 1 }),
        argument: fc.jsonValue({ maxDepth: 2 }),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((frame) => text(JSON.stringify(frame)));
  // Frames over the limit are large (the limit fits a picked avatar): few of them, each as telling.
  return fc.oneof(
    { weight: 50, arbitrary: validCall },
    { weight: 30, arbitrary: wrongTypes },
    { weight: 20, arbitrary: fc.jsonValue().map((value) => text(JSON.stringify(value))) },
    { weight: 10, arbitrary: fc.tuple(fc.jsonValue(), fc.double({ min: 0, max: 1, noNaN: true })).map(([value, cut]) => text(JSON.stringify({ type: 'call', id: 1, argument: value }).slice(0, Math.floor(cut * 60)))) },
    { weight: 10, arbitrary: deepNesting.map(text) },
    { weight: 10, arbitrary: deepNesting.map((nested) => text(`{"type":"call","id":1,"service":"account","method":"getState","argument":${nested}}`)) },
    { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map(text) },
    { weight: 10, arbitrary: fc.uint8Array({ maxLength: 2_048 }).map((bytes): PageFrameInput => ({ kind: 'binary', bytes })) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: WEB_BRIDGE_LIMITS.frameMaxBytes + 1, max: WEB_BRIDGE_LIMITS.frameMaxBytes + 50_000 })
        .map((bytes): PageFrameInput => ({ kind: 'too_long', bytes })),
    },
  );
}

/** One raw WebSocket frame, built by hand so it can break every rule `ws` keeps for its own frames. */
export type RawFrame = { fin: boolean; rsv: number; opcode: number; masked: boolean; payload: Uint8Array; length: 'minimal' | 'wide' | 'lie'; cut: number | null };

export const rawFrameArbitrary: fc.Arbitrary<RawFrame> = fc.record({
  fin: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  rsv: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
  opcode: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, 1, 2, 0, 8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
  masked: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.jsonValue({ maxDepth: 2 }).map((value) => new TextEncoder().encode(JSON.stringify({ type: 'call', id: 1, service: 'account', method: 'getState', argument: value }))),
    fc.constant(new Uint8Array([0xc3, 0x28, 0xff, 0xfe])),
  ),
  length: fc.constantFrom('minimal', 'minimal', 'minimal', 'wide', 'lie'),
  cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 10 }),
});

/** The bytes of `frame` on the wire (RFC 6455 §5.2), lies included. */
export function encodeRawFrame(frame: RawFrame): Buffer {
  const payload = Buffer.from(frame.payload);
  const first = (frame.fin ? 0x80 : 0) | ((frame.rsv & 7) << 4) | (frame.opcode & 0x0f);
  const maskBit = frame.masked ? 0x80 : 0;
  const declared = frame.length === 'lie' ? payload.length + 1_000 : payload.length;
  let header: Buffer;
  if (frame.length === 'wide' || declared > 0xffff) {
    header = Buffer.alloc(10);
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(declared), 2);
  } else if (declared > 125) {
    header = Buffer.alloc(4);
    header[1] = maskBit | 126;
    header.writeUInt16BE(declared, 2);
  } else {
    header = Buffer.alloc(2);
    header[1] = maskBit | declared;
  }
  header[0] = first;
  let body = payload;
  if (frame.masked) {
    const mask = createHash('sha256').update(payload).digest().subarray(0, 4);
    body = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
    header = Buffer.concat([header, mask]);
  }
  const bytes = Buffer.concat([header, body]);
  return frame.cut === null ? bytes : bytes.subarray(0, Math.floor(bytes.length * frame.cut));
}
