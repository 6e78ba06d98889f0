import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogFields, Logger } from '../src-shared/domain/runtime';
import {
  isAccountScopedField,
  REDACT_PATHS,
  reduceTimestampsToDay,
  scrubMessage,
  scrubRecord,
  SERIALISED_KEYS,
  serializers,
} from './logging/redaction';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function isLogLevel(value: string): value is LogLevel {
  return (LEVELS as readonly string[]).includes(value);
}

/** Drops forbidden fields (content, credentials, keys, addresses, usernames: see logging/redaction.ts). */
export function scrubFields(fields: LogFields | undefined): LogFields {
  return fields ? (scrubRecord(fields).record as LogFields) : {};
}

/** Our `Logger` and the pino instance behind it, which Fastify takes as `loggerInstance`. */
export type PinoLogging = { logger: Logger; pino: PinoLogger };

export type PinoLoggerOptions = {
  /** Anything with a synchronous `write(line)`, or a `pino.destination(…)`. */
  destination: DestinationStream;
  level?: LogLevel;
  /** Milliseconds since the epoch, for the `time` field. */
  now?: () => number;
};

const behind = new WeakMap<Logger, PinoLogger>();

/**
 * One JSON object per line: `{ level, time, event, ...fields }`, from our services (`logger`)
 * and from Fastify (`pino`, whose `msg` is written as `event` too) alike. Forbidden fields are
 * removed at any depth and Fastify's request and reply are reduced to method, route and status
 * (logging/redaction.ts).
 *
 * Time (FEATURES H4, "no log line carries a per-account timestamp finer than the day"): a line
 * is a record of when an account did something, so a line that names an account or device
 * (`accountId`, `deviceId`, … at any depth) gets `time` as the day only (`2024-04-05`), and so do
 * its own timestamp-named fields (`sentAt`, `createdAt`); every other line gets the full ISO time,
 * which operators need to read the server's own behaviour. That is why pino's own `timestamp` is
 * off and `formatters.log` writes `time`: pino's timestamp is decided before the fields are seen.
 * Child-logger bindings are written before `formatters.log` runs, so an account or device id in
 * a binding is dropped (pass it per line instead); and a line's place in the stream still puts it
 * between its neighbours, so account-scoped events belong at debug or in aggregates where that
 * matters.
 */
export function createPinoLogger(options: PinoLoggerOptions): PinoLogging {
  const now = options.now ?? Date.now;
  const instance = pino(
    {
      level: options.level ?? 'info',
      base: null,
      timestamp: false,
      messageKey: 'event',
      serializers,
      redact: { paths: [...REDACT_PATHS], remove: true },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: scrubBindings,
        log: (object) => stamp(object, now()),
      },
      // pino applies `formatters.bindings` to the root's bindings only, so a child's (Fastify's
      // per-request `reqId`, or anyone's `child({ … })`) are rewritten here, once per child.
      onChild: (child) => {
        const bindings = JSON.stringify(scrubBindings(child.bindings()));
        (child as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] = bindings === '{}' ? '' : `,${bindings.slice(1, -1)}`;
      },
      hooks: {
        // Message strings (Fastify's "Server listening at http://127.0.0.1:…", an error's message
        // that pino would take as the message) lose addresses and query strings too.
        logMethod(args, method) {
          const scrubbed: unknown[] = args.map((arg: unknown) => (typeof arg === 'string' ? scrubMessage(arg) : arg));
          if (scrubbed.length === 1 && typeof scrubbed[0] === 'object' && scrubbed[0] !== null) {
            const object = scrubbed[0] as { err?: unknown; event?: unknown };
            const error = object instanceof Error ? object : object.err;
            if (object.event === undefined && error instanceof Error) scrubbed.push(scrubMessage(error.message));
          }
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
  const log = (level: LogLevel) => (event: string, fields?: LogFields) => instance[level]({ ...fields, event });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  behind.set(logger, instance);
  return { logger, pino: instance };
}

/** Bindings are written before `formatters.log` sees a line, so they may not name an account. */
function scrubBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  const { record } = scrubRecord(bindings);
  for (const name of Object.keys(record)) if (isAccountScopedField(name)) delete record[name];
  return record;
}

function stamp(object: Record<string, unknown>, now: number): Record<string, unknown> {
  const { record, accountScoped } = scrubRecord(object, SERIALISED_KEYS);
  if (accountScoped) reduceTimestampsToDay(record, SERIALISED_KEYS);
  if (typeof record.error === 'string') record.error = scrubMessage(record.error);
  const { time: _callersTime, event, ...rest } = record;
  const iso = new Date(now).toISOString();
  return { time: accountScoped ? iso.slice(0, 10) : iso, ...(event === undefined ? {} : { event }), ...rest };
}

/** Lines written synchronously to `write`, as tests capture them. */
export function createJsonLinesLogger(options: { write: (line: string) => void; level?: LogLevel; now?: () => number }): Logger {
  return createPinoLogger({ destination: { write: options.write }, level: options.level, now: options.now }).logger;
}

/** JSON lines to stderr, so stdout stays free for the one URL line; flushed on exit by pino. */
export function createStderrPinoLogger(level: LogLevel = 'info'): PinoLogging {
  return createPinoLogger({ destination: pino.destination({ fd: 2, sync: false }), level });
}

/** The default: `createStderrPinoLogger`'s `Logger`. */
export function createStderrLogger(level: LogLevel = 'info'): Logger {
  return createStderrPinoLogger(level).logger;
}

const PINO_TO_OURS: Record<string, LogLevel> = { trace: 'debug', debug: 'debug', info: 'info', warn: 'warn', error: 'error', fatal: 'error' };

/**
 * The pino instance to hand Fastify for `logger`: the one behind it if this module made it (so
 * Fastify's lines land where the service lines do, e.g. in a test's captured lines), otherwise
 * a new one whose scrubbed lines are passed on to `logger` field by field (nested fields as
 * `req.method`).
 */
export function pinoOf(logger: Logger): PinoLogger {
  const known = behind.get(logger);
  if (known) return known;
  const forwarding = createPinoLogger({ destination: { write: (line) => forward(logger, line) }, level: 'debug' }).pino;
  behind.set(logger, forwarding);
  return forwarding;
}

function forward(logger: Logger, line: string): void {
  const { level, time: _time, event, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const fields: LogFields = {};
  const flatten = (prefix: string, value: unknown) => {
    if (typeof value === 'object' && value !== null) for (const [name, inner] of Object.entries(value)) flatten(`${prefix}.${name}`, inner);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[prefix.slice(1)] = value as LogFields[string];
  };
  flatten('', rest);
  logger[PINO_TO_OURS[String(level)] ?? 'info'](typeof event === 'string' ? event : 'log', fields);
}
