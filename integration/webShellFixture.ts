import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { shellFrameSchema, WEB_BRIDGE_PATH, type ShellFrame } from '../src-shared/ipc/webBridgeFrames';
import type { TemporaryDirectories } from './harness/temporaryDirectory';

/** Text no response may ever carry: it sits next to the renderer folder, not inside it. */
export const SECRET = 'the-web-shell-must-never-serve-this';

/**
 * A stand-in for dist/renderer: an index.html with a module script (as Vite writes it), an asset,
 * a sub-folder, and a secret file beside the root for path-traversal attempts.
 */
export function makeRendererFixture(directories: TemporaryDirectories): string {
  const parent = directories.make('web-shell-renderer');
  const root = join(parent, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>Parley</title>' +
      '<script type="module" crossorigin src="./assets/app.js"></script></head><body><main id="root"></main></body></html>',
  );
  writeFileSync(join(root, 'assets/app.js'), "document.getElementById('root').textContent = typeof window.parley;\n");
  writeFileSync(join(root, 'assets/style.css'), 'main { color: black; }\n');
  writeFileSync(join(parent, 'secret.txt'), SECRET);
  return root;
}

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string };

/** A GET with the path sent exactly as given (no normalisation), and any headers, Host included. */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Redeems the launch URL's token; returns the Cookie header the browser would send from then on. */
export async function redeem(launchUrl: string): Promise<string> {
  const url = new URL(launchUrl);
  const answer = await get(Number(url.port), `${url.pathname}${url.search}`, { Host: url.host });
  const setCookie = answer.headers['set-cookie']?.[0];
  if (answer.status !== 303 || !setCookie) throw new Error(`the token was refused: ${answer.status} ${answer.body}`);
  return setCookie.split(';')[0]!;
}

/** A bridge socket as a page would open it, with the frames it receives queued for `next`. */
export class PageSocket {
  private readonly frames: ShellFrame[] = [];
  private waiter: (() => void) | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(shellFrameSchema.parse(JSON.parse(String(data))));
      this.waiter?.();
    });
  }

  /** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
  static open(port: number, headers: Record<string, string>, path = WEB_BRIDGE_PATH): Promise<PageSocket> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new PageSocket(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(frame: unknown) {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first received frame (in order) that `matches`, removed from the queue; waits for it. */
  async next(matches: (frame: ShellFrame) => boolean = () => true): Promise<ShellFrame> {
    for (;;) {
      const index = this.frames.findIndex(matches);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** Sends a call and waits for its answer. */
  async call(id: number, service: string, method: string, argument: unknown): Promise<ShellFrame> {
    this.send({ type: 'call', id, service, method, argument });
    return this.next((frame) => frame.type !== 'event' && frame.id === id);
  }

  close() {
    this.socket.close();
  }
}

const WEB_SHELL_ENTRY = fileURLToPath(new URL('../src-main/web-shell/main.ts', import.meta.url));

/** `npm run web` as its own process (node + tsx, without npm in between), its output kept. */
export class WebShellProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  private constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WEB_SHELL_ENTRY, ...args], {
      env: { ...process.env, PARLEY_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid() {
    return this.child.pid!;
  }

  /** Starts it and waits for its PARLEY_URL line, or for it to exit (then `launchUrl` is undefined). */
  static async start(args: string[]): Promise<{ process: WebShellProcess; launchUrl: string | undefined }> {
    const started = new WebShellProcess(args);
    const lines = createInterface({ input: started.child.stdout! });
    const ready = new Promise<string>((resolve) =>
      lines.on('line', (line) => {
        started.stdout.push(line);
        if (line.startsWith('PARLEY_URL=')) resolve(line.slice('PARLEY_URL='.length));
      }),
    );
    const launchUrl = await Promise.race([ready, started.exited.then(() => undefined)]);
    return { process: started, launchUrl };
  }

  /** SIGTERM, as Ctrl-C or a service manager would; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
