/**
 * Every abuse limit the server enforces, with its default. Each is configurable (ServerOptions
 * `limits`, and `PARLEY_LIMIT_*` environment variables for `npm run server`); the README lists
 * them. Counters are kept in memory only: an IP address is a key while it is counted and is never
 * written anywhere. A source is an IPv4 address or an IPv6 /64 (one subscriber's usual share), so
 * rotating addresses inside one /64 buys nothing.
 */
export type AbuseLimits = {
  /** Wrong passwords for one account before back-off starts. */
  passwordFailuresBeforeBackoff: number;
  /** First back-off after those failures; it doubles with each further failure. */
  passwordBackoffBaseMs: number;
  /** Back-off never grows past this. */
  passwordBackoffMaxMs: number;
  /** Password-authenticated requests (adding or removing a device) one source address may make per minute. */
  passwordAttemptsPerSourcePerMinute: number;
  /** One-time prekeys (of each kind) one device may have stored; an upload past it is refused. */
  storedPreKeysPerDevice: number;
  /** Registrations one source address may make per hour. */
  registrationsPerSourcePerHour: number;
  /** Provisioning addresses opened and linked-device registrations, each, one source address may make per hour. */
  linkingPerSourcePerHour: number;
  /** Fresh starts (an account started over by its password, every device ended) one source address may make per hour. */
  freshStartsPerSourcePerHour: number;
  /** H3: phone verification codes one source address may ask for per hour. */
  phoneCodesPerSourcePerHour: number;
  /** H3: look-ups by phone number one source address may make per hour (numbers are few enough to guess through). */
  phoneLookupsPerSourcePerHour: number;
  /** B2: contact syncs (each up to 5,000 numbers) one source address may make per hour. */
  contactSyncsPerSourcePerHour: number;
  /** Registrations the whole server accepts per minute. */
  registrationsPerMinute: number;
  /** Argon2id hashes computed at once; the rest wait in line. */
  passwordHashConcurrency: number;
  /** Registrations waiting for a hash beyond this are refused with `rate_limited` at once. */
  passwordHashQueueMax: number;
  /** Prekey-bundle fetches one device may make per minute. */
  bundleFetchesPerRequesterPerMinute: number;
  /** Prekey-bundle fetches of one target account per minute by one requesting account's devices together. */
  bundleFetchesPerTargetPerMinute: number;
  /** A device's one-time prekeys are never handed out below this many (the last-resort keys serve instead). */
  oneTimePreKeyFloor: number;
  /** `prekeys_low` is sent to a device at most once in this long. */
  preKeysLowIntervalMs: number;
  /** Bytes of ciphertext one recipient device's queue may hold; a send past it gets `quota_exceeded`. */
  queuedBytesPerDevice: number;
  /** A socket whose unsent output passes this many bytes is disconnected (a client that stopped reading). */
  socketBufferedBytesMax: number;
  /** Open connections (HTTP and WebSocket) from one source address. */
  connectionsPerSource: number;
  /** Open connections to the server in all. */
  connectionsTotal: number;
  /** Time a client has to send a request's headers. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included. */
  requestTimeoutMs: number;
};

const MINUTE_MS = 60_000;

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  passwordFailuresBeforeBackoff: 5,
  passwordBackoffBaseMs: 1_000,
  passwordBackoffMaxMs: 15 * MINUTE_MS,
  passwordAttemptsPerSourcePerMinute: 30,
  storedPreKeysPerDevice: 1_000,
  registrationsPerSourcePerHour: 20,
  linkingPerSourcePerHour: 60,
  freshStartsPerSourcePerHour: 5,
  phoneCodesPerSourcePerHour: 10,
  phoneLookupsPerSourcePerHour: 200,
  contactSyncsPerSourcePerHour: 30,
  registrationsPerMinute: 120,
  passwordHashConcurrency: 2,
  passwordHashQueueMax: 16,
  bundleFetchesPerRequesterPerMinute: 120,
  bundleFetchesPerTargetPerMinute: 240,
  oneTimePreKeyFloor: 10,
  preKeysLowIntervalMs: 10 * MINUTE_MS,
  queuedBytesPerDevice: 256 * 1024 * 1024,
  socketBufferedBytesMax: 4 * 1024 * 1024,
  connectionsPerSource: 256,
  connectionsTotal: 20_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

/** The defaults with the given overrides. */
export function abuseLimitsWith(overrides: Partial<AbuseLimits> = {}): AbuseLimits {
  return { ...DEFAULT_ABUSE_LIMITS, ...overrides };
}
