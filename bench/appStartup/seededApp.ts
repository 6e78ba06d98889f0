import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { AppInstance } from '../../e2e/fixtures/appLauncher';
import { Person } from '../../e2e/fixtures/person';
import { ServerProcess } from '../../integration/harness/serverProcess';
import type { TemporaryDirectories } from '../../integration/harness/temporaryDirectory';
import { GENEROUS_TEST_LIMITS } from '../../src-server/testing/testServer';
import { historyInPage, peerAccountId, seedInPage } from './pageHistory';
import { copyInto, isFree, moveInto, stablePort, type CachedProfile, type ProfileCache } from './profileCache';
import type { SeedRequest, SeedResult } from './seedRequest';
import { shownProbeScript } from './shownProbe';

/** Seeded messages are 10 s apart and end three years and more before the profile was made: room for 10,000,000. */
const SPACING_MS = 10_000;
const SEEDED_SPAN_MS = 10_000_000 * SPACING_MS;

export type SeedOptions = {
  batchSize: number;
  inFlight: number;
  rareWord: string;
  rareEvery: number;
  /** Wraps the seeding in the page (to profile it). */
  around?: <T>(page: Page, browserDataDir: string, what: string, work: () => Promise<T>) => Promise<T>;
};

/** A running copy of a seeded profile: its server (on the port the profile knows) and alice's app, closed. */
export type Session = { server: ServerProcess; alice: Person; profile: CachedProfile };

function serverOn(port: number, dataDir: string) {
  return new ServerProcess({ port, dataDir, backend: { name: 'sqlite' }, logLevel: 'warn', limits: GENEROUS_TEST_LIMITS });
}

async function startServerOn(port: number, dataDir: string): Promise<ServerProcess> {
  if (!(await isFree(port))) {
    throw new Error(
      `port ${port}, which the cached profile's server needs (its URL is in alice's account record), is taken: another bench:app on this cache? Wait for it, or run with --fresh`,
    );
  }
  const server = serverOn(port, dataDir);
  await server.start();
  return server;
}

/** alice's app on a copy of `profileDir`: launched on a fresh profile (the fixture makes one), closed, filled with the copy. */
async function appOnCopy(serverUrl: string, profileDir: string): Promise<Person> {
  // The probe times the sign-in screen and the chat list (bob's row) from the page's own frames.
  const app = await AppInstance.launch('alice', { shell: 'web', serverUrl, initScript: shownProbeScript('bob') });
  await app.close();
  copyInto(profileDir, app.profileDir);
  return new Person(app, 'alice');
}

/** The profile every level grows from: alice and bob signed up, alice's chat with bob holding one "hello". */
export async function createBase(cache: ProfileCache, seederScript: string): Promise<CachedProfile> {
  const staging = cache.staging();
  const port = await stablePort();
  const server = serverOn(port, join(staging, 'server'));
  await server.start();
  const apps: AppInstance[] = [];
  try {
    const launch = async (name: string) => {
      const app = await AppInstance.launch(name, { shell: 'web', serverUrl: server.url });
      apps.push(app);
      return new Person(app, name);
    };
    const alice = await launch('alice');
    const bob = await launch('bob');
    await alice.signUp();
    await bob.signUp();
    await alice.startChatWith('bob');
    await alice.send('hello');
    const account = await historyInPage(alice.page, seederScript);
    const peer = await peerAccountId(alice.page, 'bob');
    const createdAt = Date.now();
    const empty = await seedInPage(alice.page, { ...account, ...seedRequestBase(createdAt - SEEDED_SPAN_MS), peerAccountId: peer, firstIndex: 0, count: 0, batchSize: 1, inFlight: 1, rareWord: 'none', rareEvery: 1, markRead: false });
    await alice.app.close();
    moveInto(alice.app.profileDir, join(staging, 'profile'));
    return cache.commit(staging, {
      messages: 0,
      serverPort: port,
      peerUsername: 'bob',
      firstSentAt: createdAt - SEEDED_SPAN_MS,
      spacingMs: SPACING_MS,
      schemaVersion: empty.schemaVersion,
      createdAt: new Date(createdAt).toISOString(),
    });
  } finally {
    for (const app of apps) await app.dispose().catch(() => undefined);
    await server.stop();
  }
}

function seedRequestBase(firstSentAt: number) {
  return { firstSentAt, spacingMs: SPACING_MS };
}

/**
 * A profile with `messages` seeded, made from the largest cached one below it by seeding only the
 * difference (through the app's write path, in its page), then cached.
 */
export async function extend(
  cache: ProfileCache,
  from: CachedProfile,
  messages: number,
  seederScript: string,
  options: SeedOptions,
): Promise<{ profile: CachedProfile; seeded: SeedResult }> {
  const staging = cache.staging();
  copyInto(from.serverDir, join(staging, 'server'));
  const server = await startServerOn(from.manifest.serverPort, join(staging, 'server'));
  let alice: Person | undefined;
  try {
    alice = await appOnCopy(server.url, from.profileDir);
    await alice.restartApp();
    const account = await historyInPage(alice.page, seederScript);
    const request: SeedRequest = {
      ...account,
      peerAccountId: await peerAccountId(alice.page, from.manifest.peerUsername),
      firstIndex: from.manifest.messages,
      count: messages - from.manifest.messages,
      batchSize: options.batchSize,
      inFlight: options.inFlight,
      firstSentAt: from.manifest.firstSentAt,
      spacingMs: from.manifest.spacingMs,
      rareWord: options.rareWord,
      rareEvery: options.rareEvery,
      markRead: true,
    };
    process.stderr.write(`seeding messages ${request.firstIndex + 1}–${messages} (${request.count} in batches of ${request.batchSize}, ${request.inFlight} in flight)…\n`);
    const page = alice.page;
    const seed = () => seedInPage(page, request);
    const seeded = await (options.around ? options.around(page, alice.app.browserDataDir, `seeding-${messages}`, seed) : seed());
    if (seeded.added !== request.count) throw new Error(`seeded ${seeded.added} of ${request.count} messages`);
    await alice.app.close();
    moveInto(alice.app.profileDir, join(staging, 'profile'));
    const profile = cache.commit(staging, {
      ...from.manifest,
      messages,
      schemaVersion: seeded.schemaVersion,
      createdAt: new Date().toISOString(),
      seeding: { messages: request.count, milliseconds: seeded.milliseconds, inFlight: request.inFlight },
    });
    return { profile, seeded };
  } finally {
    await alice?.app.dispose().catch(() => undefined);
    await server.stop();
  }
}

/** Runs `work` on a throw-away copy of a cached profile (the cache itself is never opened). */
export async function withWorkCopy<T>(profile: CachedProfile, directories: TemporaryDirectories, work: (session: Session) => Promise<T>): Promise<T> {
  const serverDir = join(directories.make('bench-app-server'), 'data');
  copyInto(profile.serverDir, serverDir);
  const server = await startServerOn(profile.manifest.serverPort, serverDir);
  let alice: Person | undefined;
  try {
    alice = await appOnCopy(server.url, profile.profileDir);
    return await work({ server, alice, profile });
  } finally {
    await alice?.app.dispose().catch(() => undefined);
    await server.stop();
  }
}
