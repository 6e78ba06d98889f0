import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { z } from 'zod';
import { HTTP_ROUTES } from '../../src-shared/protocol/http';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import { describePortOwner } from '../web-shell/portOwner';

/** The port of the server `npm start` runs (and every later `npm start` on this machine shares). */
export const LOCAL_SERVER_PORT = 7180;

export class LocalServerError extends Error {
  override name = 'LocalServerError';
}

export type LocalServer = {
  url: string;
  /** Where the server came from: PARLEY_SERVER_URL, one already running on the port, or started now. */
  source: 'environment' | 'shared' | 'started';
  /** Stops the server if this launcher started it; otherwise does nothing. */
  stop(): Promise<void>;
};

export type LocalServerOptions = {
  /** The checkout (where src-server is). */
  root: string;
  environment: NodeJS.ProcessEnv;
  /** LOCAL_SERVER_PORT unless a test says otherwise. */
  port?: number;
  /** `<root>/.data/server` unless a test says otherwise. */
  dataDir?: string;
};

const healthSchema = z.object({ ok: z.literal(true), protocolVersion: z.number().int() });

/** What answers at `url`: a Parley server, nothing, or something else (and what it said). */
async function probe(url: string): Promise<{ kind: 'parley' } | { kind: 'nothing' } | { kind: 'other'; detail: string }> {
  let response: Response;
  try {
    response = await fetch(new URL(HTTP_ROUTES.health, url), { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') return { kind: 'nothing' };
    return { kind: 'other', detail: error instanceof Error ? error.message : String(error) };
  }
  const health = healthSchema.safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !health.success) return { kind: 'other', detail: `it answered ${response.status} to ${HTTP_ROUTES.health}` };
  if (health.data.protocolVersion !== PROTOCOL_VERSION) {
    return { kind: 'other', detail: `it is a Parley server speaking protocol ${health.data.protocolVersion}, not ${PROTOCOL_VERSION}` };
  }
  return { kind: 'parley' };
}

function startServerProcess(options: Required<LocalServerOptions>): Promise<{ child: ChildProcess; url: string }> {
  const { root, environment, port, dataDir } = options;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src-server/server.ts'), '--port', String(port), '--data-dir', dataDir],
    // At 'warn' unless the person asked for more: the terminal is the app's too.
    { cwd: root, env: { ...environment, PARLEY_LOG_LEVEL: environment.PARLEY_LOG_LEVEL ?? 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Until it is ready its stderr is held back: a server that loses the race for the port to
  // another `npm start` is not news, since that one is shared. Once ready, its logs pass through.
  const early: string[] = [];
  let ready = false;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (ready) process.stderr.write(`${line}\n`);
    else early.push(line);
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('PARLEY_SERVER_URL=')) return;
      ready = true;
      for (const held of early.splice(0)) process.stderr.write(`${held}\n`);
      resolve({ child, url: line.slice('PARLEY_SERVER_URL='.length) });
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new LocalServerError(`the local server exited with code ${code} before it was ready: ${early.slice(-3).join(' | ')}`)),
    );
  });
}

/**
 * The server the app talks to: PARLEY_SERVER_URL when set; else the local one on 127.0.0.1:7180,
 * shared if it already runs (another `npm start`, another profile), else started here as a child
 * process with its data in `.data/server`, and stopped with this launcher.
 */
export async function ensureLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { root, environment, port = LOCAL_SERVER_PORT, dataDir = join(root, '.data/server') } = options;
  const nothingToStop = async () => undefined;
  const configured = environment.PARLEY_SERVER_URL;
  if (configured) {
    const parsed = z.url({ protocol: /^https?$/ }).safeParse(configured);
    if (!parsed.success) throw new LocalServerError(`PARLEY_SERVER_URL must be an http(s) URL, got "${configured}"`);
    return { url: parsed.data, source: 'environment', stop: nothingToStop };
  }
  const url = `http://127.0.0.1:${port}`;
  const refuse = (detail: string) =>
    new LocalServerError(
      `port ${port} is taken by ${describePortOwner(port) ?? 'a process'} that is not a Parley server (${detail}); ` +
        'stop it, or set PARLEY_SERVER_URL to the server to use',
    );
  const found = await probe(url);
  if (found.kind === 'parley') return { url, source: 'shared', stop: nothingToStop };
  if (found.kind === 'other') throw refuse(found.detail);
  let started;
  try {
    started = await startServerProcess({ root, environment, port, dataDir });
  } catch (error) {
    // Another `npm start` may have started its server in the same moment: share that one.
    if ((await probe(url)).kind === 'parley') return { url, source: 'shared', stop: nothingToStop };
    throw error;
  }
  const { child } = started;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url: started.url,
    source: 'started',
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
