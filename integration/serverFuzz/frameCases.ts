import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { LIMITS } from '../../src-shared/domain/limits';
import { clientFrameSchema } from '../../src-shared/protocol/frames';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import { HARD_FRAME_LIMIT } from '../../src-server/gateway/websocketLimits';

/** One WebSocket message as the fuzzer sends it. */
export type FuzzFrame = { data: string | Buffer; binary: boolean; label: string };

/**
 * What the server must do with a frame, decided by the same shared schema it uses: answer with
 * an `error`, a `pong` or a `send_result` (naming `requestId`), stay silent (a valid ack), or
 * close the socket with `closeCode`. The sockets have said hello before any generated frame.
 */
export type Expectation =
  | { kind: 'error'; codes: string[] }
  | { kind: 'pong'; requestId?: string }
  | { kind: 'send_result'; requestId: string; to: string; idempotencyKey: string }
  | { kind: 'silent' }
  | { kind: 'close'; closeCode: number };


export function expectationOf(frame: FuzzFrame): Expectation {
  const size = typeof frame.data === 'string' ? Buffer.byteLength(frame.data, 'utf8') : frame.data.length;
  if (size > HARD_FRAME_LIMIT) return { kind: 'close', closeCode: 1009 };
  if (frame.binary) return { kind: 'error', codes: ['bad_request'] };
  // A string is sent as UTF-8 (lone surrogates become U+FFFD); bytes may not be UTF-8 at all,
  // and ws fails such a text frame with 1007.
  if (typeof frame.data !== 'string' && !isUtf8(frame.data)) return { kind: 'close', closeCode: 1007 };
  if (size > LIMITS.frameMaxBytes) return { kind: 'error', codes: ['payload_too_large'] };
  let value: unknown;
  try {
    value = JSON.parse(typeof frame.data === 'string' ? frame.data : frame.data.toString('utf8'));
  } catch {
    return { kind: 'error', codes: ['bad_request'] };
  }
  const parsed = clientFrameSchema.safeParse(value);
  if (!parsed.success) return { kind: 'error', codes: ['bad_request'] };
  const valid = parsed.data;
  switch (valid.type) {
    case 'hello':
      // The fuzzing sockets said hello already: any further one, whatever its version, is refused.
      return { kind: 'error', codes: ['bad_request'] };
    case 'ack':
      return { kind: 'silent' };
    case 'ping':
      return valid.requestId === undefined ? { kind: 'pong' } : { kind: 'pong', requestId: valid.requestId };
    case 'send':
      return { kind: 'send_result', requestId: valid.requestId, to: valid.to, idempotencyKey: valid.idempotencyKey };
  }
}

/** Accounts the frames may name. */
export type FrameFuzzContext = {
  self: { accountId: string };
  /** Bob: a real, connected account with one device. */
  bob: { accountId: string; registrationId: number };
  /** Other real accounts (alice, the other fuzzers). */
  others: string[];
};

const requestId = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'has space', 'x'.repeat(65), 'ünï', '../..', '\u0000', 'a.b') },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.constant({})) },
);
const opaqueId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const base64Body = fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('base64'));

function sendArbitrary(context: FrameFuzzContext) {
  const target = fc.oneof(
    { weight: 3, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.constant(context.bob.accountId) },
    { weight: 1, arbitrary: fc.constantFrom(...context.others, context.self.accountId) },
    { weight: 1, arbitrary: fc.constantFrom('not-a-uuid', '', '00000000-0000-0000-0000-000000000000') },
  );
  const envelope = (to: string) =>
    fc.record({
      accountId: fc.oneof({ weight: 5, arbitrary: fc.constant(to) }, { weight: 1, arbitrary: fc.uuid() }),
      deviceId: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2, 127, 128, -1, 1.5) }),
      registrationId: fc.oneof({ weight: 4, arbitrary: fc.constant(context.bob.registrationId) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 17_000 }) }),
      ciphertextType: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(2, 3) }, { weight: 1, arbitrary: fc.constantFrom(1, 4, '3') }),
      body: fc.oneof({ weight: 6, arbitrary: base64Body }, { weight: 1, arbitrary: fc.constantFrom('%%%', 'abc', '', '====') }),
    });
  return target.chain((to) =>
    fc.record(
      {
        type: fc.constant('send'),
        requestId,
        idempotencyKey: fc.oneof({ weight: 5, arbitrary: opaqueId }, { weight: 1, arbitrary: fc.constantFrom('dup', 'dup', 'x y') }),
        to: fc.constant(to),
        timestamp: fc.oneof({ weight: 5, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, LIMITS.timestampMax + 1, Number.MAX_SAFE_INTEGER) }),
        envelopes: fc.oneof({ weight: 8, arbitrary: fc.array(envelope(to), { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: envelope(to).map((one) => Array.from({ length: 33 }, () => one)) }),
        onlineOnly: fc.boolean(),
      },
      { requiredKeys: ['type', 'requestId', 'idempotencyKey', 'to', 'timestamp', 'envelopes'] },
    ),
  );
}

const nested = (depth: number, open: string, close: string, middle = '') => open.repeat(depth) + middle + close.repeat(depth);

/** Big frames are made once and shared: the generators run in the server's own process. */
const made = new Map<string, FuzzFrame>();
function once(key: string, make: () => FuzzFrame): FuzzFrame {
  if (!made.has(key)) made.set(key, make());
  return made.get(key)!;
}

/** Valid frames, near misses, garbage, and a rare socket-closing one. */
export function frameArbitrary(context: FrameFuzzContext): fc.Arbitrary<FuzzFrame> {
  const json = (label: string, arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((value): FuzzFrame => ({ data: JSON.stringify(value) ?? 'undefined', binary: false, label }));
  const valid = fc.oneof(
    { weight: 3, arbitrary: json('ping', fc.record({ type: fc.constant('ping'), requestId }, { requiredKeys: ['type'] })) },
    { weight: 4, arbitrary: json('send', sendArbitrary(context)) },
    { weight: 2, arbitrary: json('ack of unknown ids', fc.record({ type: fc.constant('ack'), envelopeIds: fc.array(opaqueId, { minLength: 1, maxLength: 50 }) })) },
    { weight: 1, arbitrary: json('ack, wrong sizes', fc.constantFrom(0, 1_000, 1_001).map((count) => ({ type: 'ack', envelopeIds: Array.from({ length: count }, (_, index) => `unknown-${index}`) }))) },
    { weight: 1, arbitrary: json('hello twice', fc.constant({ type: 'hello', protocolVersion: PROTOCOL_VERSION })) },
    { weight: 1, arbitrary: json('hello, wrong types', fc.record({ type: fc.constant('hello'), protocolVersion: fc.oneof(fc.string(), fc.constant(null), fc.double(), fc.constant(-1), fc.constant(0)) })) },
  );
  const broken = fc.oneof(
    { weight: 30, arbitrary: fc.tuple(valid, fc.nat()).map(([frame, cut]): FuzzFrame => ({ data: String(frame.data).slice(0, cut % Math.max(1, String(frame.data).length)), binary: false, label: 'truncated' })) },
    { weight: 20, arbitrary: json('anything', fc.anything({ maxDepth: 3 })) },
    { weight: 20, arbitrary: json('wrong type tag', fc.record({ type: fc.oneof(fc.string(), fc.constantFrom('HELLO', 'Ping', 'send ', 'ready', 'envelopes', '__proto__', 'constructor')), requestId })) },
    { weight: 10, arbitrary: fc.string({ maxLength: 200 }).map((data): FuzzFrame => ({ data, binary: false, label: 'text' })) },
    { weight: 10, arbitrary: fc.constantFrom('', 'null', '1', '"ping"', '[]', '{}', '{"type":"ping","__proto__":{"requestId":"x"}}', '{"type":"ping","type":"send"}').map((data): FuzzFrame => ({ data, binary: false, label: 'scalar or oddity' })) },
    { weight: 20, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes): FuzzFrame => ({ data: Buffer.from(bytes), binary: true, label: 'binary' })) },
    { weight: 10, arbitrary: valid.map((frame): FuzzFrame => ({ data: Buffer.from(String(frame.data)), binary: true, label: 'valid JSON as binary' })) },
    {
      weight: 10,
      arbitrary: fc
        .tuple(fc.constantFrom(1_000, 10_000, 100_000), fc.constantFrom('arrays', 'objects', 'in a field', 'in envelopes', 'unbalanced'))
        .map(([depth, shape]) =>
          once(`nested ${shape} ${depth}`, () => {
            const data = {
              arrays: () => nested(depth, '[', ']'),
              objects: () => nested(depth, '{"type":', '}', '"ping"'),
              'in a field': () => `{"type":"ping","requestId":${nested(depth, '[', ']')}}`,
              'in envelopes': () => `{"type":"send","requestId":"deep","idempotencyKey":"deep","to":"${context.bob.accountId}","timestamp":1,"envelopes":${nested(depth, '[', ']')}}`,
              unbalanced: () => '{"type":"ping","requestId":' + '['.repeat(depth),
            }[shape]();
            return { data, binary: false, label: `nested ${shape} (${depth})` };
          }),
        ),
    },
    // Random bytes as a text frame: mostly not UTF-8, which ws fails with 1007.
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 50 }).map((bytes): FuzzFrame => ({ data: Buffer.from([0xff, ...bytes]), binary: false, label: 'invalid UTF-8 text' })) },
  );
  const oversized = fc
    .constantFrom(LIMITS.frameMaxBytes + 1, HARD_FRAME_LIMIT + 1)
    .map((size) =>
      once(`oversized ${size}`, () => ({
        data: Buffer.from(`{"type":"ping","requestId":"${'x'.repeat(size - 30)}"}`),
        binary: false,
        label: size > HARD_FRAME_LIMIT ? 'past the hard limit' : 'past the frame limit',
      })),
    );
  return fc.oneof(
    { weight: 600, arbitrary: valid },
    { weight: 400, arbitrary: broken },
    { weight: 1, arbitrary: oversized },
    { weight: 5, arbitrary: json('hello, another version', fc.constantFrom(PROTOCOL_VERSION + 1, 999).map((protocolVersion) => ({ type: 'hello', protocolVersion }))) },
  );
}
