import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { DeviceKeys } from '../../src-shared/protocol/keys';

/**
 * Generated HTTP requests, from well-formed to hostile, rendered as the exact bytes to write.
 * `mayHang` marks a request the server cannot finish reading (a body shorter than announced, no
 * end of headers, an unterminated chunk stream): for those only, no answer before the client's
 * short deadline is an acceptable outcome.
 */

/** What the generators need to know about the server under test. */
export type HttpFuzzContext = {
  host: string;
  /** `Basic …` device credentials of an account used only by the HTTP fuzzer. */
  deviceAuthorization: string;
  /** `Basic …` username and password of that account. */
  passwordAuthorization: string;
  /** Ids of real accounts (the fuzzer's, alice's and bob's) for paths that name one. */
  accountIds: string[];
  /** Real registration material, for bodies that look valid apart from one part. */
  deviceKeys: DeviceKeys[];
};

export type Framing =
  | 'length'
  | 'length too big'
  | 'length too small'
  | 'bogus length'
  | 'duplicate lengths'
  | 'chunked'
  | 'bad chunks'
  | 'unterminated chunks'
  | 'length and chunked'
  | 'none';

export type HttpCase = {
  method: string;
  target: string;
  version: string;
  headers: Array<[string, string]>;
  framing: Framing;
  body: Buffer;
  headEnding: 'crlf' | 'lf' | 'missing';
  /** Write the request in two pieces, split here (a fraction of its length). */
  splitAt?: number;
};

export type RenderedRequest = { pieces: Buffer[]; method: string; mayHang: boolean; size: number };

/** Big inputs are made once and shared: the generators run in the server's own process, whose GC they would otherwise load. */
const made = new Map<string, unknown>();
function once<T>(key: string, make: () => T): T {
  if (!made.has(key)) made.set(key, make());
  return made.get(key) as T;
}

const KIB = 1024;
const SMALL_LIMIT = 16 * KIB;
const KEYS_LIMIT = 640 * KIB;

const ROUTES = [
  '/v1/health',
  '/v1/accounts',
  '/v1/devices',
  '/v1/accounts/lookup',
  '/v1/keys',
  '/v1/keys/',
  '/v1/websocket',
  '/metrics',
  '/',
  '/v1',
  '/v1/',
];

const WEIRD_PATHS = [
  '//%zz',
  '%',
  '/%',
  '/%zz',
  '/v1/%zz',
  '/v1/accounts/%zz',
  '/v1/keys/%',
  '/v1/health%00',
  '/v1/health%2F',
  '/v1/../v1/health',
  '/..',
  '/../../../etc/passwd',
  '/v1/./health',
  '/v1//health',
  '/v1/health/',
  '/V1/HEALTH',
  '/v1/health;a=b',
  '/v1/health#fragment',
  'http://127.0.0.1/v1/health',
  'http://%zz/',
  '*',
  '',
  '/v1/h ealth',
  '/v1/ünïcødé/😀',
  '/v1/accounts/%F0%9F%98%80',
  '/v1/accounts/%C0%AE%C0%AE',
  '/%ff%fe',
  '/v1/keys/00000000-0000-0000-0000-000000000000/999',
  '/v1/keys/00000000-0000-0000-0000-000000000000/01',
  '/v1/keys/00000000-0000-0000-0000-000000000000/-1',
  '/v1/keys/00000000-0000-0000-0000-000000000000/1.5',
  '/v1/keys/00000000-0000-0000-0000-000000000000/%31',
  '/v1/keys/__proto__',
  '/v1/accounts/constructor',
  '/v1/\u0000',
  '/v1/\t',
];

const QUERIES = [
  '',
  '',
  '?',
  '?username=alice',
  '?username=%zz',
  '?username=%',
  '?username=a&username=b',
  '?username[]=x',
  '?username[a]=x',
  '?__proto__[polluted]=1',
  '?constructor[prototype][polluted]=1',
  '?=&&==&',
  '?username=' + 'a'.repeat(40),
  '?username=%F0%9F%98%80',
  '?username=@Alice',
  '?x=' + 'y'.repeat(9_000),
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'];
const ODD_METHODS = ['TRACE', 'CONNECT', 'PROPFIND', 'SEARCH', 'QUERY', 'MKCOL', 'get', 'Post', 'G3T', 'BREW', 'M-SEARCH', 'GET GET', '', 'A'.repeat(1_000), '\u00e9', 'GE\u0000T'];
const ODD_VERSIONS = ['HTTP/2.0', 'HTTP/0.9', 'HTTP/9.9', 'HTTP/1.1 extra', 'HTTP/1', 'http/1.1', ''];

const uuid = fc.uuid();

function pathArbitrary(context: HttpFuzzContext): fc.Arbitrary<string> {
  const accountId = fc.oneof(fc.constantFrom(...context.accountIds), uuid, fc.constantFrom('not-a-uuid', '%zz', '..', 'a'.repeat(101), ''));
  const deviceId = fc.oneof(fc.constantFrom('1', '0', '127', '128', '999', '-1', '01', '1e1', 'x', '%31'), fc.integer({ min: -5, max: 200 }).map(String));
  const base = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ROUTES) },
    { weight: 3, arbitrary: fc.constantFrom(...WEIRD_PATHS) },
    { weight: 2, arbitrary: accountId.map((id) => `/v1/accounts/${id}`) },
    { weight: 2, arbitrary: accountId.map((id) => `/v1/keys/${id}`) },
    { weight: 2, arbitrary: fc.tuple(accountId, deviceId).map(([id, device]) => `/v1/keys/${id}/${device}`) },
    { weight: 1, arbitrary: deviceId.map((device) => `/v1/devices/${device}`) },
    // Overlong: past the router's parameter limit (100), past node's 16 KiB header limit.
    { weight: 1, arbitrary: fc.constantFrom(101, 2_000, 8_000, 17_000, 70_000).map((length) => once(`path ${length}`, () => `/v1/accounts/${'a'.repeat(length)}`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }).map((tail) => `/v1/${tail}`) },
    { weight: 1, arbitrary: fc.webPath().map((path) => `/v1${path}`) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom('..', '.', '%2e%2e', '%2E', '', '%00', 'v1', 'health', '%zz'), { maxLength: 8 }).map((parts) => `/${parts.join('/')}`) },
  );
  const query = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...QUERIES) },
    { weight: 1, arbitrary: fc.webQueryParameters().map((text) => `?${text}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60, unit: 'binary' }).map((text) => `?${text}`) },
  );
  return fc.tuple(base, query).map(([path, search]) => path + search);
}

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

function authorizationArbitrary(context: HttpFuzzContext): fc.Arbitrary<string[]> {
  const [someAccount] = context.accountIds;
  const one = fc.oneof(
    { weight: 3, arbitrary: fc.constant(context.deviceAuthorization) },
    { weight: 2, arbitrary: fc.constant(context.passwordAuthorization) },
    { weight: 2, arbitrary: fc.string({ maxLength: 80 }).map(basic) },
    { weight: 2, arbitrary: fc.constantFrom(`${someAccount}.1:wrong`, `${someAccount}.0:x`, `${someAccount}.128:x`, `${someAccount}.:x`, `.1:x`, ':', 'a:', ':b', 'nobody:longenoughpassword').map(basic) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'Basic',
        'Basic ',
        'Basic %%%%',
        'Basic ====',
        'basic ' + Buffer.from('x:y').toString('base64'),
        'Bearer abc',
        'Digest username="x"',
        'Basic ' + 'A'.repeat(2_049),
        'Basic ' + 'QUFB'.repeat(1_000),
        '\u00ff\u00fe',
        ' ',
      ),
    },
    // Past node's header limit as a whole.
    { weight: 1, arbitrary: fc.constant('Basic ' + 'A'.repeat(20_000)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 5, arbitrary: one.map((value) => [value]) },
    { weight: 1, arbitrary: fc.tuple(one, one).map((pair): string[] => [...pair]) },
  );
}

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json; charset=utf-16',
  'application/json;;;',
  'application/jsonx',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  ';',
  '',
];
const CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x-unknown', '', 'chunked'];

function headersArbitrary(context: HttpFuzzContext): fc.Arbitrary<Array<[string, string]>> {
  const host = fc.oneof(
    // Without a Host, node:http refuses any HTTP/1.1 request before the app sees it.
    { weight: 30, arbitrary: fc.constant([['Host', context.host]] as Array<[string, string]>) },
    { weight: 1, arbitrary: fc.constant([] as Array<[string, string]>) },
    { weight: 1, arbitrary: fc.constantFrom<Array<[string, string]>>([['Host', context.host], ['Host', 'evil.example']], [['Host', '%zz']], [['Host', '']], [['Host', 'a'.repeat(300)]]) },
  );
  const contentType = fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as Array<[string, string]>) },
    { weight: 6, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((value): Array<[string, string]> => [['Content-Type', value]]) },
    { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['Content-Type', 'application/json'], ['Content-Type', 'text/plain']]) },
  );
  const contentEncoding = fc.oneof(
    { weight: 8, arbitrary: fc.constant([] as Array<[string, string]>) },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_ENCODINGS).map((value): Array<[string, string]> => [['Content-Encoding', value]]) },
  );
  const connection = fc.constantFrom<Array<[string, string]>>([['Connection', 'close']], [['Connection', 'keep-alive']], [], [['Connection', 'close, upgrade']]);
  const headerName = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('X-Forwarded-For', 'Expect', 'Upgrade', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Origin', 'Cookie', 'Accept-Encoding', 'Range', 'If-None-Match', 'Trailer', 'TE') },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }) },
  );
  const headerValue = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('100-continue', 'websocket', '13', 'dGhlIHNhbXBsZSBub25jZQ==', 'null', '1.2.3.4, ::1', 'gzip', 'bytes=0-1', '*') },
    { weight: 2, arbitrary: fc.string({ maxLength: 50 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 50, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom(1_000, 10_000).map((length) => 'v'.repeat(length)) },
  );
  const extras = fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as Array<[string, string]>) },
    { weight: 3, arbitrary: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }) },
    // Many headers at once.
    { weight: 1, arbitrary: fc.constantFrom(50, 500, 2_100).map((count) => once(`fillers ${count}`, () => Array.from({ length: count }, (_, index): [string, string] => [`X-Filler-${index}`, 'x']))) },
  );
  return fc
    .tuple(host, authorizationArbitrary(context), contentType, contentEncoding, connection, extras)
    .map(([hostHeaders, authorizations, type, encoding, connectionHeaders, extra]) => [
      ...hostHeaders,
      ...authorizations.map((value): [string, string] => ['Authorization', value]),
      ...type,
      ...encoding,
      ...connectionHeaders,
      ...extra,
    ]);
}

/** A JSON text of exactly `size` bytes (for `size` ≥ 30): an object with one padded field. */
export function jsonOfSize(size: number, field = 'padding'): string {
  const shell = JSON.stringify({ username: 'padded_user', [field]: '' });
  return JSON.stringify({ username: 'padded_user', [field]: 'x'.repeat(Math.max(0, size - shell.length)) });
}

const WRONG_VALUES: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, '', ' ', [], {}, 'x'.repeat(300), [1, 2, 3], { nested: { deeper: [] } }, '%zz', '\u0000', '😀'.repeat(40), Number.MAX_SAFE_INTEGER + 2),
  fc.anything({ maxDepth: 2 }),
);

type Mutation = (body: Record<string, unknown>, value: unknown) => void;
const device = (body: Record<string, unknown>) => body.device as Record<string, unknown>;
const MUTATIONS: Record<string, Mutation> = {
  username: (body, value) => (body.username = value),
  password: (body, value) => (body.password = value),
  device: (body, value) => (body.device = value),
  'device.name': (body, value) => (device(body).name = value),
  'device.registrationId': (body, value) => (device(body).registrationId = value),
  'device.secret': (body, value) => (device(body).secret = value),
  'device.identityKey': (body, value) => (device(body).identityKey = value),
  'device.signedPreKey': (body, value) => (device(body).signedPreKey = value),
  'device.signedPreKey.keyId': (body, value) => ((device(body).signedPreKey as Record<string, unknown>).keyId = value),
  'device.kyberLastResortPreKey.signature': (body, value) => ((device(body).kyberLastResortPreKey as Record<string, unknown>).signature = value),
  'device.preKeys': (body, value) => (device(body).preKeys = value),
  'device.preKeys[0]': (body, value) => ((device(body).preKeys as unknown[])[0] = value),
  'device.kyberPreKeys': (body, value) => (device(body).kyberPreKeys = value),
  'extra field': (body, value) => (body.unexpected = value),
  'missing device': (body) => delete body.device,
  'missing username': (body) => delete body.username,
  'too many prekeys': (body) => {
    const keys = device(body).preKeys as unknown[];
    device(body).preKeys = Array.from({ length: 201 }, (_, index) => keys[index % keys.length]);
  },
  'too long a name': (body) => (device(body).name = 'n'.repeat(65)),
  'too long a username': (body) => (body.username = 'u'.repeat(33)),
  'unicode username': (body) => (body.username = 'ålice_😀'),
  '@username': (body) => (body.username = '@Fuzz_Upper'),
  'proto pollution': (body) => {
    (body as { __proto__?: unknown }).__proto__ = { polluted: true };
  },
  'unchanged': () => undefined,
};

function registrationBodyArbitrary(context: HttpFuzzContext): fc.Arbitrary<Buffer> {
  const texts = context.deviceKeys.map((keys) => JSON.stringify(keys));
  return fc
    .tuple(fc.nat({ max: texts.length - 1 }), fc.constantFrom(...Object.keys(MUTATIONS)), WRONG_VALUES, fc.stringMatching(/^[a-z][a-z0-9_]{5,12}$/), fc.boolean())
    .map(([which, mutation, value, username, rawProto]) => {
      const body: Record<string, unknown> = { username: `fz_${username}`, password: 'a long enough password', device: JSON.parse(texts[which]!) as unknown };
      MUTATIONS[mutation]!(body, value);
      let text = JSON.stringify(body);
      // JSON.stringify drops a `__proto__` own key set through the accessor; write it in the text.
      if (mutation === 'proto pollution' || rawProto) text = text.replace(/^\{/, '{"__proto__":{"polluted":true},');
      return Buffer.from(text);
    });
}

const nested = (depth: number, open: string, close: string, middle = '') => open.repeat(depth) + middle + close.repeat(depth);

function bodyArbitrary(context: HttpFuzzContext): fc.Arbitrary<Buffer> {
  const sizes = [SMALL_LIMIT - 1, SMALL_LIMIT, SMALL_LIMIT + 1, KEYS_LIMIT - 1, KEYS_LIMIT, KEYS_LIMIT + 1];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(Buffer.alloc(0)) },
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 4, arbitrary: fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text)) },
    { weight: 3, arbitrary: fc.tuple(fc.json({ maxDepth: 4 }), fc.nat()).map(([text, cut]) => Buffer.from(text.slice(0, cut % Math.max(1, text.length)))) },
    { weight: 8, arbitrary: registrationBodyArbitrary(context) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(1_000, 10_000, 100_000), fc.constantFrom('arrays', 'objects', 'proto objects', 'unbalanced', 'in a field'))
        .map(([depth, shape]) =>
          once(`nested ${shape} ${depth}`, () => {
            switch (shape) {
              case 'arrays':
                return Buffer.from(nested(depth, '[', ']'));
              case 'objects':
                return Buffer.from(nested(depth, '{"a":', '}', '1'));
              case 'proto objects':
                return Buffer.from(nested(depth, '{"__proto__":', '}', '{}'));
              case 'unbalanced':
                return Buffer.from('['.repeat(depth));
              default:
                return Buffer.from(`{"username":${nested(depth, '[', ']')},"password":"long enough"}`);
            }
          }),
        ),
    },
    { weight: 2, arbitrary: fc.constantFrom(...sizes).map((size) => once(`json ${size}`, () => Buffer.from(jsonOfSize(size)))) },
    // Two bytes a character: as many characters as bytes allowed makes twice the bytes.
    { weight: 1, arbitrary: fc.constantFrom(...sizes).map((size) => once(`json é ${size}`, () => Buffer.from(jsonOfSize(size).replace(/x/g, '\u00e9').slice(0, size)))) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 2 }).map((text) => gzipSync(text)) },
    { weight: 1, arbitrary: fc.constant(Buffer.from('{"username":"\uD800","password":"\uDFFF\uDFFF\uDFFF\uDFFF"}')) },
    { weight: 1, arbitrary: fc.constant(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"a":1}')])) },
  );
}

const FRAMINGS: Framing[] = ['length', 'length too big', 'length too small', 'bogus length', 'duplicate lengths', 'chunked', 'bad chunks', 'unterminated chunks', 'length and chunked', 'none'];

export function httpCaseArbitrary(context: HttpFuzzContext): fc.Arbitrary<HttpCase> {
  return fc.record(
    {
      method: fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...METHODS) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_METHODS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10, unit: 'binary' }) }),
      target: pathArbitrary(context),
      version: fc.oneof({ weight: 40, arbitrary: fc.constant('HTTP/1.1') }, { weight: 3, arbitrary: fc.constant('HTTP/1.0') }, { weight: 2, arbitrary: fc.constantFrom(...ODD_VERSIONS) }),
      headers: headersArbitrary(context),
      framing: fc.oneof({ weight: 25, arbitrary: fc.constant<Framing>('length') }, { weight: 3, arbitrary: fc.constant<Framing>('chunked') }, { weight: 8, arbitrary: fc.constantFrom(...FRAMINGS) }),
      body: bodyArbitrary(context),
      headEnding: fc.oneof({ weight: 20, arbitrary: fc.constant<'crlf'>('crlf') }, { weight: 1, arbitrary: fc.constantFrom<'lf' | 'missing'>('lf', 'missing') }),
      splitAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 3 }),
    },
    { requiredKeys: ['method', 'target', 'version', 'headers', 'framing', 'body', 'headEnding'] },
  );
}

function chunks(body: Buffer, framing: Framing): { bytes: Buffer; complete: boolean } {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += 4_096) {
    const part = body.subarray(at, at + 4_096);
    pieces.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
  }
  if (framing === 'bad chunks') {
    const bad = ['zz\r\nabc\r\n0\r\n\r\n', '5\r\nabc\r\n0\r\n\r\n', '3\r\nabcdef\r\n0\r\n\r\n', '-1\r\n\r\n', 'ffffffffffffffffff\r\nx\r\n', '3;ext=\u0000\r\nabc\r\n0\r\n\r\n', '0\r\nTrailer: x\r\n\r\n', '3\nabc\n0\n\n'];
    const choice = bad[body.length % bad.length]!;
    // '5' announces more than it carries and '-1'/huge sizes may leave the parser waiting.
    return { bytes: Buffer.concat([...pieces, Buffer.from(choice)]), complete: false };
  }
  if (framing === 'unterminated chunks') return { bytes: Buffer.concat(pieces), complete: false };
  pieces.push(Buffer.from('0\r\n\r\n'));
  return { bytes: Buffer.concat(pieces), complete: true };
}

/** The exact bytes of `request`, and whether the server may be left waiting for more. */
export function renderHttpCase(request: HttpCase): RenderedRequest {
  const lineEnd = request.headEnding === 'lf' ? '\n' : '\r\n';
  const headers = [...request.headers];
  let body: Buffer = request.body;
  let complete = true;
  switch (request.framing) {
    case 'length':
      if (body.length > 0 || request.method !== 'GET') headers.push(['Content-Length', String(body.length)]);
      break;
    case 'length too big':
      headers.push(['Content-Length', String(body.length + 1 + (body.length % 100))]);
      complete = false;
      break;
    case 'length too small':
      // The rest is read as the next request on the connection.
      headers.push(['Content-Length', String(Math.floor(body.length / 2))]);
      break;
    case 'bogus length':
      headers.push(['Content-Length', ['-1', 'abc', '1e3', '0x10', ' 5', '99999999999999999999', '', '+3'][body.length % 8]!]);
      complete = false;
      break;
    case 'duplicate lengths':
      headers.push(['Content-Length', String(body.length)], ['Content-Length', String(body.length + 1)]);
      complete = false;
      break;
    case 'chunked':
    case 'bad chunks':
    case 'unterminated chunks': {
      headers.push(['Transfer-Encoding', body.length % 5 === 0 ? 'gzip, chunked' : 'chunked']);
      const framed = chunks(body, request.framing);
      body = framed.bytes;
      complete = framed.complete;
      break;
    }
    case 'length and chunked': {
      headers.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked']);
      complete = false;
      break;
    }
    case 'none':
      break;
  }
  const head = [`${request.method} ${request.target} ${request.version}`.trimEnd(), ...headers.map(([name, value]) => `${name}: ${value}`)].join(lineEnd);
  const headBytes = Buffer.from(head + (request.headEnding === 'missing' ? lineEnd : lineEnd + lineEnd), 'utf8');
  const bytes = request.headEnding === 'missing' ? headBytes : Buffer.concat([headBytes, body]);
  const at = request.splitAt === undefined ? 0 : Math.floor(request.splitAt * bytes.length);
  const pieces = at > 0 && at < bytes.length ? [bytes.subarray(0, at), bytes.subarray(at)] : [bytes];
  const expectContinue = headers.some(([name, value]) => /^expect$/i.test(name) && /100-continue/i.test(value));
  // What may leave node's parser waiting: an incomplete body or head, an Expect it may wait on,
  // an odd version or method whose framing rules it applies differently.
  const mayHang = !complete || request.headEnding !== 'crlf' || expectContinue || request.version !== 'HTTP/1.1';
  return { pieces, method: request.method, mayHang, size: bytes.length };
}
