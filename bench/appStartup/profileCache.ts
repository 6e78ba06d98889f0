import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Under bench/results/, which git ignores. */
export const CACHE_ROOT = join(REPOSITORY_ROOT, 'bench/results/appStartup-cache');

/**
 * What the seeded records depend on: the history store's write path (sealing, search terms,
 * schema and its migrations), the domain types and the seeder. The schema version alone would not
 * do: what a record holds (its search terms, how it is sealed) can change without a new version
 * while that code is being worked on, and measurements are only honest on the records the app
 * writes today. Tests are left out; any other change there seeds afresh.
 */
const WRITE_PATH_SOURCES = ['src-renderer/data', 'src-shared/domain', 'bench/appStartup/page', 'bench/appStartup/seedRequest.ts'];

export function writePathFingerprint(): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
      return;
    }
    if (/\.test\.tsx?$/.test(path) || path.includes('/testing/')) return;
    hash.update(relative(REPOSITORY_ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const source of WRITE_PATH_SOURCES) visit(join(REPOSITORY_ROOT, source));
  return hash.digest('hex').slice(0, 16);
}

const manifestSchema = z.object({
  messages: z.number().int().min(0),
  /** The server must come back on this port: the account record in the profile names its URL. */
  serverPort: z.number().int().min(1).max(65_535),
  peerUsername: z.string(),
  /** Message `index` of the seeded conversation was sent at `firstSentAt + index * spacingMs`. */
  firstSentAt: z.number(),
  spacingMs: z.number().int().positive(),
  schemaVersion: z.number().int().min(0),
  createdAt: z.string(),
  /** How the last step of seeding went (the write rate while seeding, pipelined). */
  seeding: z.object({ messages: z.number(), milliseconds: z.number(), inFlight: z.number() }).optional(),
});
export type ProfileManifest = z.infer<typeof manifestSchema>;

/** A seeded app: the server's data folder, alice's profile folder (vault, web-shell port, browser with IndexedDB), and what they hold. */
export type CachedProfile = { directory: string; serverDir: string; profileDir: string; manifest: ProfileManifest };

function at(directory: string, manifest: ProfileManifest): CachedProfile {
  return { directory, serverDir: join(directory, 'server'), profileDir: join(directory, 'profile'), manifest };
}

/**
 * Seeded profiles, one folder per message count under CACHE_ROOT/<fingerprint>/, each complete
 * or absent: written into a staging folder, then renamed into place.
 */
export class ProfileCache {
  readonly root: string;

  constructor(readonly fingerprint: string) {
    this.root = join(CACHE_ROOT, fingerprint);
  }

  /** The cached profile with exactly `messages` seeded, if any. */
  get(messages: number): CachedProfile | undefined {
    return this.levels().find((profile) => profile.manifest.messages === messages);
  }

  /** The largest cached profile with at most `messages`: the one to extend. */
  bestBase(messages: number): CachedProfile | undefined {
    return this.levels()
      .filter((profile) => profile.manifest.messages <= messages)
      .sort((a, b) => b.manifest.messages - a.manifest.messages)[0];
  }

  levels(): CachedProfile[] {
    if (!existsSync(this.root)) return [];
    utimesSync(this.root, new Date(), new Date()); // in use: pruneOthers leaves it
    const found: CachedProfile[] = [];
    for (const entry of readdirSync(this.root)) {
      if (!/^\d+$/.test(entry)) continue;
      const directory = join(this.root, entry);
      const parsed = manifestSchema.safeParse(readJson(join(directory, 'manifest.json')));
      if (parsed.success && parsed.data.messages === Number(entry)) found.push(at(directory, parsed.data));
    }
    return found;
  }

  /** A fresh staging folder for a profile being made; `commit` moves it into place. */
  staging(): string {
    const directory = join(this.root, `.staging-${process.pid}-${Date.now()}`);
    mkdirSync(directory, { recursive: true });
    return directory;
  }

  /** Moves a finished staging folder into place (another run that got there first wins). */
  commit(staging: string, manifest: ProfileManifest): CachedProfile {
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const target = join(this.root, String(manifest.messages));
    if (existsSync(target)) rmSync(staging, { recursive: true, force: true });
    else renameSync(staging, target);
    return at(target, manifestSchema.parse(readJson(join(target, 'manifest.json'))));
  }

  /**
   * Removes the profiles of other write paths (stale once the sources moved on) that no run has
   * touched for an hour; a 1,000,000-message profile takes gigabytes.
   */
  pruneOthers(now = Date.now()) {
    if (!existsSync(CACHE_ROOT)) return;
    for (const entry of readdirSync(CACHE_ROOT)) {
      const directory = join(CACHE_ROOT, entry);
      if (entry === this.fingerprint || now - statSync(directory).mtimeMs < 3_600_000) continue;
      rmSync(directory, { recursive: true, force: true });
    }
  }

  /** Every cached level of every fingerprint (--fresh). */
  static clearAll() {
    rmSync(CACHE_ROOT, { recursive: true, force: true });
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Copies a folder's contents into another (emptied first). */
export function copyInto(source: string, target: string) {
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true, preserveTimestamps: true });
}

/** Moves a folder (a rename on one file system, else a copy). */
export function moveInto(source: string, target: string) {
  rmSync(target, { recursive: true, force: true });
  try {
    renameSync(source, target);
  } catch {
    cpSync(source, target, { recursive: true, preserveTimestamps: true });
    rmSync(source, { recursive: true, force: true });
  }
}

/**
 * A loopback port for a server that must come back on it later: below Linux's ephemeral range
 * (and the web shell's 20,000–32,000), so outgoing connections do not take it in between.
 */
export async function stablePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 14_000 + Math.floor(Math.random() * 6_000);
    if (await isFree(port)) return port;
  }
  throw new Error('no free port between 14000 and 20000');
}

export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
