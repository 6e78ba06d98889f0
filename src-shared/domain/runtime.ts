/**
 * What every core and server module is handed instead of reaching for globals, so tests control
 * time and see logs. Only the composition roots construct the real ones.
 */
export type Clock = {
  /** Milliseconds since the epoch. */
  now(): number;
};

/** Structured fields: never message content, never an IP address, never a password or key. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export type Logger = {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
};
