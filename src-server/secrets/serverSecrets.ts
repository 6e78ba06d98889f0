import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Keys the server keeps apart from its database (ARCHITECTURE.md §4), so a copy of the database
 * or of its backups does not give them away: `lookupKey` makes the keyed hashes that phone
 * numbers are found by (H3), `identifierKey` seals the numbers themselves. Each is a file of 32
 * random bytes (hex) in a directory of its own, made on first start, readable by the owner only.
 */
export type ServerSecrets = {
  lookupKey: Buffer;
  identifierKey: Buffer;
  /** The keys were made just now: a database that already holds numbers was sealed with others. */
  madeNow?: boolean;
};

export class SecretsError extends Error {
  override name = 'SecretsError';
}

const FILES = { lookupKey: 'lookup-hash.key', identifierKey: 'identifiers.key' } as const;

/** Reads the keys in `directory`, making the ones that are missing. Throws SecretsError for a damaged file or a directory inside the database's. */
export function loadServerSecrets(directory: string, dataDir?: string): ServerSecrets {
  const where = resolve(directory);
  if (dataDir !== undefined && (where === resolve(dataDir) || where.startsWith(`${resolve(dataDir)}/`))) {
    throw new SecretsError(`the secrets directory ${where} is inside the data directory: keep it apart, so a copy of the database does not carry the keys`);
  }
  mkdirSync(where, { recursive: true, mode: 0o700 });
  let madeNow = false;
  const read = (name: string): Buffer => {
    const path = join(where, name);
    if (!existsSync(path)) {
      madeNow = true;
      writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    }
    const text = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new SecretsError(`the key file ${path} is damaged: it must hold 64 hex digits`);
    return Buffer.from(text, 'hex');
  };
  const secrets = { lookupKey: read(FILES.lookupKey), identifierKey: read(FILES.identifierKey) };
  return { ...secrets, madeNow };
}

/** Throwaway keys for a server that keeps nothing across starts (tests). */
export const randomServerSecrets = (): ServerSecrets => ({ lookupKey: randomBytes(32), identifierKey: randomBytes(32) });
