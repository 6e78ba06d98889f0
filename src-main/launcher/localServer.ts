import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { z } from 'zod';
import { HTTP_ROUTES } from '../../src-shared/protocol/http';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import { checkServerTransport, InsecureTransportError } from '../core/api/serverTransport';
import { describePortOwner, portListenerPid, processEnvironment } from '../web-shell/portOwner';

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
  /** --insecure: PARLEY_SERVER_URL may be http:// to another machine. */
  allowInsecureTransport?: boolean;
  /**
   * The server program, relative to `root`: a built bundle (run by node) or a .ts source (run
   * through tsx). `src-server/server.ts` unless the caller runs from a build.
   */
  serverEntry?: string;
};

/**
 * The environment variable that carries a started server's launch token: `NONCE.MAC`, a fresh
 * nonce per start and its HMAC under the data folder's launcher key (with the port). Only a
 * process started by a launcher that can read that key (mode 0600) carries a valid one, and only
 * this user's processes (or root) can read a process's environment, so a server on the port that
 * carries one was started by `npm start` on this data folder; anything else may be anyone's.
 */
export const LAUNCH_TOKEN_VARIABLE = 'PARLEY_LAUNCH_TOKEN';

/** The launcher key's file in the data folder. */
export const LAUNCH_KEY_FILE = 'launcher.key';

/** The data folder's launcher key, created (0600, in a 0700 folder) by the first launcher to need it. */
function launchKey(dataDir: string): Buffer {
  const path = join(dataDir, LAUNCH_KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // Written aside and linked into place, so a launcher starting at the same moment reads a whole key or none.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, randomBytes(32), { mode: 0o600 });
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
  } catch (error) {
    throw new LocalServerError(`cannot create ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new LocalServerError(`${path} can be read by other users: chmod 600 it`);
  const key = readFileSync(path);
  if (key.length !== 32) throw new LocalServerError(`${path} is not a launcher key (${key.length} bytes, not 32): delete it`);
  return key;
}

const launchMac = (key: Buffer, port: number, nonce: string) => createHmac('sha256', key).update(`${port}:${nonce}`).digest();

/** A launch token for a server started now on `port`. */
function newLaunchToken(key: Buffer, port: number): string {
  const nonce = randomBytes(16).toString('hex');
  return `${nonce}.${launchMac(key, port, nonce).toString('hex')}`;
}

/**
 * Whether the process listening on `port` was started by a launcher on this data folder (its
 * launch token checks out), or why it cannot be trusted.
 */
function listenerStartedHere(port: number, key: Buffer): { ours: true } | { ours: false; reason: string } {
  const pid = portListenerPid(port);
  if (pid === undefined) {
    return { ours: false, reason: 'which process listens there cannot be seen: it is not one of yours, or this is not Linux' };
  }
  const who = describePortOwner(port) ?? `process ${pid}`;
  const token = processEnvironment(pid)?.get(LAUNCH_TOKEN_VARIABLE);
  if (!token) return { ours: false, reason: `${who} was not started by npm start` };
  const [nonce, mac] = token.split('.');
  const expected = nonce ? launchMac(key, port, nonce) : undefined;
  const given = mac && /^[0-9a-f]{64}$/.test(mac) ? Buffer.from(mac, 'hex') : undefined;
  if (!expected || !given || !timingSafeEqual(expected, given)) {
    return { ours: false, reason: `${who} was not started by npm start on this data folder` };
  }
  return { ours: true };
}

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

function startServerProcess(
  options: { root: string; environment: NodeJS.ProcessEnv; port: number; dataDir: string; launchToken: string; serverEntry: string },
): Promise<{ child: ChildProcess; url: string }> {
  const { root, environment, port, dataDir, launchToken, serverEntry } = options;
  const program = serverEntry.endsWith('.ts') ? ['--import', 'tsx', join(root, serverEntry)] : [join(root, serverEntry)];
  const child = spawn(
    process.execPath,
    [...program, '--port', String(port), '--data-dir', dataDir],
    // At 'warn' unless the person asked for more: the terminal is the app's too.
    {
      cwd: root,
      // A local server for trying Parley out: phone codes go to its log (the terminal), never by SMS.
      env: { PARLEY_SMS_PROVIDER: 'development', ...environment, PARLEY_LOG_LEVEL: environment.PARLEY_LOG_LEVEL ?? 'warn', [LAUNCH_TOKEN_VARIABLE]: launchToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
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
 * The server the app talks to: PARLEY_SERVER_URL when set (https://, or http:// to this machine
 * unless `allowInsecureTransport`); else the local one on 127.0.0.1:7180, shared if it already
 * runs and was started by `npm start` on this data folder (another profile; see
 * LAUNCH_TOKEN_VARIABLE), else started here as a child process with its data in `.data/server`,
 * and stopped with this launcher. Whatever else holds the port is refused, Parley server or not.
 */
export async function ensureLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { root, environment, port = LOCAL_SERVER_PORT, dataDir = join(root, '.data/server') } = options;
  const nothingToStop = async () => undefined;
  const configured = environment.PARLEY_SERVER_URL;
  if (configured) {
    const parsed = z.url({ protocol: /^https?$/ }).safeParse(configured);
    if (!parsed.success) throw new LocalServerError(`PARLEY_SERVER_URL must be an http(s) URL, got "${configured}"`);
    try {
      checkServerTransport(parsed.data, { allowInsecureTransport: options.allowInsecureTransport });
    } catch (error) {
      if (error instanceof InsecureTransportError) throw new LocalServerError(`PARLEY_SERVER_URL: ${error.message}`);
      throw error;
    }
    return { url: parsed.data, source: 'environment', stop: nothingToStop };
  }
  const url = `http://127.0.0.1:${port}`;
  const refuse = (detail: string) =>
    new LocalServerError(
      `port ${port} is taken by ${describePortOwner(port) ?? 'a process'} that is not a Parley server (${detail}); ` +
        'stop it, or set PARLEY_SERVER_URL to the server to use',
    );
  const key = launchKey(dataDir);
  const share = (): LocalServer => {
    const owner = listenerStartedHere(port, key);
    if (!owner.ours) {
      throw new LocalServerError(
        `port ${port} has a Parley server that npm start did not start here (${owner.reason}), so it is not used: ` +
          `it could be anyone's. Stop it, or set PARLEY_SERVER_URL=${url} to use it anyway`,
      );
    }
    return { url, source: 'shared', stop: nothingToStop };
  };
  const found = await probe(url);
  if (found.kind === 'parley') return share();
  if (found.kind === 'other') throw refuse(found.detail);
  let started;
  try {
    started = await startServerProcess({
      root,
      environment,
      port,
      dataDir,
      launchToken: newLaunchToken(key, port),
      serverEntry: options.serverEntry ?? 'src-server/server.ts',
    });
  } catch (error) {
    // Another `npm start` may have started its server in the same moment: share that one.
    if ((await probe(url)).kind === 'parley') return share();
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
