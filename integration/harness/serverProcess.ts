import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AbuseLimits } from '../../src-server/abuseLimits';
import { limitVariable } from '../../src-server/config';
import type { TestBackend as Backend } from '../../src-server/testing/backends';

const SERVER_ENTRY = fileURLToPath(new URL('../../src-server/server.ts', import.meta.url));

/**
 * The server as its own process, started the way a user starts it (`server.ts --port --data-dir`),
 * so a test can kill it with SIGKILL and start it again on the same port and data.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];

  constructor(
    private readonly options: {
      port: number;
      dataDir: string;
      backend: Backend;
      schema?: string;
      logLevel?: string;
      /** Abuse-limit overrides, passed as the PARLEY_LIMIT_* variables a user would set. */
      limits?: Partial<AbuseLimits>;
      /** Node flags for the server process (benchmarks: `--cpu-prof`, `--cpu-prof-dir=DIR`). */
      nodeFlags?: readonly string[];
    },
  ) {}

  get url() {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The running server's process id (for measuring its CPU); undefined before start. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const environment: NodeJS.ProcessEnv = { ...process.env, PARLEY_LOG_LEVEL: this.options.logLevel ?? 'debug' };
    if (this.options.backend.name === 'postgres') {
      environment.PARLEY_DATABASE_URL = this.options.backend.databaseUrl;
      environment.PARLEY_DATABASE_SCHEMA = this.options.schema;
    }
    for (const [name, value] of Object.entries(this.options.limits ?? {})) {
      environment[limitVariable(name as keyof AbuseLimits)] = String(value);
    }
    const child = spawn(
      process.execPath,
      [...(this.options.nodeFlags ?? []), '--import', 'tsx', SERVER_ENTRY, '--port', String(this.options.port), '--data-dir', this.options.dataDir],
      { env: environment, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    createInterface({ input: child.stderr! }).on('line', (line) => this.output.push(line));
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${this.output.slice(-5).join('\n')}`)), 30_000);
      lines.on('line', (line) => {
        this.output.push(line);
        if (line.startsWith('PARLEY_SERVER_URL=')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}: ${this.output.slice(-5).join('\n')}`));
      });
    });
  }

  /** SIGKILL: no graceful shutdown, no flush beyond what the server already committed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
