import type { LogFields, Logger } from '../src-shared/domain/runtime';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function isLogLevel(value: string): value is LogLevel {
  return (LEVELS as readonly string[]).includes(value);
}

/**
 * Field names that must never reach a log even if a caller passes them by mistake (H1, H4):
 * message bodies, credentials, key material, network addresses.
 */
const FORBIDDEN_FIELDS = /^(body|bodies|text|content|password|secret|authorization|key|keys|publickey|signature|identitykey|ip|ips|address|remoteaddress|host|username)$/i;

/** Drops forbidden fields; everything else passes through as given. */
export function scrubFields(fields: LogFields | undefined): LogFields {
  const scrubbed: LogFields = {};
  if (!fields) return scrubbed;
  for (const [name, value] of Object.entries(fields)) {
    if (!FORBIDDEN_FIELDS.test(name)) scrubbed[name] = value;
  }
  return scrubbed;
}

/** One JSON object per line: `{ time, level, event, ...fields }`. */
export function createJsonLinesLogger(options: {
  write: (line: string) => void;
  level?: LogLevel;
  now?: () => number;
}): Logger {
  const threshold = LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? Date.now;
  const log = (level: LogLevel) => (event: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const record = { time: new Date(now()).toISOString(), level, event, ...scrubFields(fields) };
    options.write(`${JSON.stringify(record)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The default: JSON lines to stderr, so stdout stays free for the one URL line. */
export function createStderrLogger(level: LogLevel = 'info'): Logger {
  return createJsonLinesLogger({ write: (line) => process.stderr.write(line), level });
}
