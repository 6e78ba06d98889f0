import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * A profile's web-shell port, kept in the profile folder. The browser keeps the history store
 * (IndexedDB) per origin, so a profile must come back on the same port or its history would
 * seem gone.
 */
export const PORT_FILE = 'web-shell.json';

const portFileSchema = z.object({ port: z.number().int().min(1).max(65_535) });

export class PortFileError extends Error {
  constructor(path: string, reason: string) {
    super(`${path} is not a valid port file (${reason}); fix it, or delete it and pass --port N`);
    this.name = 'PortFileError';
  }
}

/** The port this profile was last served on, or undefined for a profile never served. */
export function readRememberedPort(profileDir: string): number | undefined {
  const path = join(profileDir, PORT_FILE);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PortFileError(path, error instanceof Error ? error.message : 'unreadable');
  }
  const parsed = portFileSchema.safeParse(json);
  if (!parsed.success) throw new PortFileError(path, parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data.port;
}

/** Remembers `port` for the profile, creating the profile folder (private) if needed. Whole or absent after a crash. */
export function rememberPort(profileDir: string, port: number) {
  if (!existsSync(profileDir)) {
    mkdirSync(profileDir, { recursive: true, mode: 0o700 });
    chmodSync(profileDir, 0o700);
  }
  const path = join(profileDir, PORT_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ port })}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/** A port for a profile served for the first time: below Linux's ephemeral range, so outgoing connections never hold it. */
export function candidatePort(random: () => number = Math.random): number {
  return 20_000 + Math.floor(random() * 12_000);
}
