import type { SerializerFn } from 'pino';

/**
 * What may never reach a server log, whoever writes the line (our services or Fastify), and the
 * pino configuration that enforces it (FEATURES H1, H3, H4, H5): no content, no credentials, no
 * key material, no network address, no username, phone, e-mail or location.
 *
 * Two layers, because each misses something the other catches:
 * - `scrubRecord` runs in pino's `formatters.log` on every line before serialisation. It walks
 *   the line to any depth (`MAX_DEPTH`, deeper is cut) and compares names case-insensitively
 *   with `-`, `_` and spaces ignored, so `Password`, `x_forwarded_for` and `X-Forwarded-For` all
 *   match. It leaves `req`, `res` and `err` to their serializers.
 * - `REDACT_PATHS` is pino's `redact` with `remove: true`, applied after the serializers, for
 *   what `scrubRecord` does not walk: `req`, `res` and `err`. No wildcard or top-level paths
 *   (`*.password`, `password`): the walk already covers every depth in every spelling, and each
 *   wildcard path costs about 2 µs on every line (225 µs a line for one set we measured).
 * Event names and message strings are not fields; `scrubMessage` takes addresses out of them.
 */

/** Exact names (normalised: lower case, no `-`, `_` or spaces). */
const FORBIDDEN_NAMES = new Set([
  // Content (H1): message and envelope bodies, file names, anything that may be a payload.
  'body', 'bodies', 'text', 'texts', 'content', 'contents', 'ciphertext', 'plaintext', 'envelope',
  'message', 'messages', 'payload', 'filename', 'filenames', 'caption',
  // Credentials.
  'authorization', 'proxyauthorization', 'credential', 'credentials', 'cookie', 'cookies', 'setcookie',
  'passcode', 'otp',
  // Network addresses and what carries them (H4): headers, URLs and queries as a whole.
  'ip', 'ips', 'clientip', 'remoteip', 'xforwardedfor', 'xrealip', 'forwarded', 'forwardedfor', 'host',
  'hostname', 'remoteport', 'mac', 'headers', 'url', 'query', 'querystring', 'useragent',
  // Identity (H3) and location (H5).
  'username', 'phone', 'phonenumber', 'email', 'location', 'latitude', 'longitude', 'lat', 'lng', 'lon',
  'geo', 'coordinates',
]);

/**
 * Name endings (normalised, singular or plural): `publicKey`, `identityKey`, `signedPreKey`,
 * `accessToken`, `newPassword`, `remoteAddress`, `emailAddress` … A count of keys is logged as
 * `preKeyCount`, never as `preKeys`.
 */
const FORBIDDEN_ENDINGS = ['password', 'passphrase', 'secret', 'token', 'key', 'signature', 'address', 'username'];

const FORBIDDEN_ENDING = new RegExp(`(${FORBIDDEN_ENDINGS.join('|')})s?$`);
const ACCOUNT_SCOPED = /^(account|device|sender|recipient|destination|member|user)(id)?s?$/;

const FORBIDDEN = 1;
const ACCOUNT = 2;
/** Field names repeat from line to line, so each is judged once (up to a bound). */
const verdicts = new Map<string, number>();

function verdict(name: string): number {
  let known = verdicts.get(name);
  if (known === undefined) {
    const normalised = name.toLowerCase().replace(/[-_\s]/g, '');
    const forbidden = FORBIDDEN_NAMES.has(normalised) || FORBIDDEN_ENDING.test(normalised);
    known = (forbidden ? FORBIDDEN : 0) | (ACCOUNT_SCOPED.test(normalised) ? ACCOUNT : 0);
    if (verdicts.size < 10_000) verdicts.set(name, known);
  }
  return known;
}

export function isForbiddenField(name: string): boolean {
  return (verdict(name) & FORBIDDEN) !== 0;
}

/** A field that ties the line to an account or device: `accountId`, `deviceIds`, `sender` … */
export function isAccountScopedField(name: string): boolean {
  return (verdict(name) & ACCOUNT) !== 0;
}

/** `sentAt`, `createdAt`, `serverTimestamp`, `time`, `lastSeenDate`: a point in time. */
export function isTimestampField(name: string): boolean {
  return /[a-z0-9](At|Time|Timestamp|Date)$/.test(name) || /^(at|time|timestamp|date)$/i.test(name);
}

/** Deeper than this a value is replaced, not walked: it cannot be checked, so it is not logged. */
const MAX_DEPTH = 6;

export type ScrubbedRecord = {
  record: Record<string, unknown>;
  /** Some field, at any depth, names an account or device. */
  accountScoped: boolean;
};

/**
 * A copy of `record` without forbidden fields at any depth, walked the way `JSON.stringify`
 * would write it (own enumerable properties, `toJSON` where there is one), so what is written is
 * what was checked. Bytes become `'[bytes]'` (they can only be key material or ciphertext), errors
 * go through the error serializer. Top-level keys in `serialised` are passed through untouched
 * for their serializer (a Fastify request is not walked).
 */
export function scrubRecord(record: object, serialised: ReadonlySet<string> = new Set()): ScrubbedRecord {
  const state = { accountScoped: false };
  const scrubValue = (value: unknown, depth: number): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (value instanceof Uint8Array || value instanceof ArrayBuffer) return '[bytes]';
    if (value instanceof Error) return serializers.err(value);
    if (depth > MAX_DEPTH) return '[truncated]';
    if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
    const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return scrubValue(toJSON.call(value), depth + 1);
    return scrubObject(value, depth);
  };
  const scrubObject = (object: object, depth: number): Record<string, unknown> => {
    const scrubbed: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(object)) {
      const judged = verdict(name);
      if (judged & FORBIDDEN) continue;
      if (judged & ACCOUNT) state.accountScoped = true;
      scrubbed[name] = depth === 0 && serialised.has(name) ? value : scrubValue(value, depth + 1);
    }
    return scrubbed;
  };
  const scrubbed = scrubObject(record, 0);
  return { record: scrubbed, accountScoped: state.accountScoped };
}

/** `2024-04-05T…` or epoch milliseconds → `2024-04-05`; anything unreadable → undefined. */
export function toDay(value: unknown): string | undefined {
  const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time)) return undefined;
  return new Date(time).toISOString().slice(0, 10);
}

/** Every timestamp-named field of a scrubbed record (at any depth) reduced to its day, in place. */
export function reduceTimestampsToDay(record: Record<string, unknown>, serialised: ReadonlySet<string> = new Set()): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) reduce(value as Record<string, unknown>);
  };
  const reduce = (object: Record<string, unknown>, top = false) => {
    for (const [name, value] of Object.entries(object)) {
      if (top && serialised.has(name)) continue;
      if (isTimestampField(name) && (typeof value === 'number' || typeof value === 'string')) object[name] = toDay(value);
      else visit(value);
    }
  };
  reduce(record, true);
}

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
// Bracketed, full (eight groups) or compressed (with `::`); times like 10:20:30 are left alone.
const IPV6 = /\[[0-9a-f.]*:[0-9a-f:.]*\]|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?/gi;
const QUERY = /\?\S*/g;

/** Fastify's 404 line names the path asked for, which may hold an id or a name. */
const NOT_FOUND_PATH = /^Route ([A-Z]+):\S* not found$/;

/**
 * A message string (Fastify writes "Server listening at http://127.0.0.1:3000" and
 * "Route GET:/x?token=… not found") without addresses, `localhost`, query strings or the path of
 * an unknown route.
 */
export function scrubMessage(text: string): string {
  return text
    .replace(NOT_FOUND_PATH, 'Route $1:[path] not found')
    .replace(QUERY, '')
    .replace(IPV6, '[address]')
    .replace(IPV4, '[address]')
    .replace(/\blocalhost\b/gi, '[address]');
}

type RequestLike = { method?: unknown; routeOptions?: { url?: unknown }; routerPath?: unknown };
type ReplyLike = { statusCode?: unknown };
type ErrorLike = { name?: unknown; message?: unknown; code?: unknown; statusCode?: unknown; stack?: unknown };

/**
 * Fastify logs `req` (its request), `res` (its reply) and `err`. Fastify merges its own
 * serializers under these (ours win): a request becomes its method and route pattern
 * (`/v1/devices/:deviceId`, never the URL with its query, headers, host or remote address), a
 * reply its status code, an error its name, message, code and stack (not its enumerable extras,
 * which for validation errors can carry the rejected input).
 */
export const serializers: Record<'req' | 'res' | 'err', SerializerFn> = {
  req: (request: RequestLike) => {
    const route = request.routeOptions?.url ?? request.routerPath;
    return {
      method: typeof request.method === 'string' ? request.method : undefined,
      route: typeof route === 'string' ? scrubMessage(route) : undefined,
    };
  },
  res: (reply: ReplyLike) => ({ statusCode: typeof reply.statusCode === 'number' ? reply.statusCode : undefined }),
  err: (error: ErrorLike) => {
    if (typeof error !== 'object' || error === null) return { message: scrubMessage(String(error)) };
    return {
      type: typeof error.name === 'string' ? error.name : 'Error',
      message: typeof error.message === 'string' ? scrubMessage(error.message) : undefined,
      code: typeof error.code === 'string' || typeof error.code === 'number' ? error.code : undefined,
      statusCode: typeof error.statusCode === 'number' ? error.statusCode : undefined,
      stack: typeof error.stack === 'string' ? scrubMessage(error.stack) : undefined,
    };
  },
};

export const SERIALISED_KEYS: ReadonlySet<string> = new Set(Object.keys(serializers));

/**
 * Under `req`, `res` and `err`, which `scrubRecord` leaves to the serializers: what Fastify's own
 * request serializer and Node's network errors carry, should a child logger be given other
 * serializers (Fastify's `child(bindings, { serializers })` can).
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers', 'req.remoteAddress', 'req.remotePort', 'req.ip', 'req.ips', 'req.host', 'req.hostname', 'req.url',
  'req.query', 'req.body', 'res.headers', 'err.body', 'err.validation', 'err.address', 'err.host', 'err.url',
];
