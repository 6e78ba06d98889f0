import type { LogFields, Logger } from '../../../src-shared/domain/runtime';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number] | 'silent';

export const isLogLevel = (value: string): value is LogLevel => value === 'silent' || (LEVELS as readonly string[]).includes(value);

/** JSON lines at or above `level`, written with `write` (a shell decides where they go). */
export function streamLogger(level: LogLevel, write: (line: string) => void, clock = () => Date.now()): Logger {
  const threshold = level === 'silent' ? LEVELS.length : LEVELS.indexOf(level);
  const emit = (at: (typeof LEVELS)[number]) => (event: string, fields?: LogFields) => {
    if (LEVELS.indexOf(at) < threshold) return;
    write(`${JSON.stringify({ time: new Date(clock()).toISOString(), level: at, event, ...fields })}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
