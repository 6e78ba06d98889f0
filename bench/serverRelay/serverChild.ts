import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./serverEntry.ts', import.meta.url));

/** Where the child keeps its data: a fresh SQLite directory, or a fresh PostgreSQL schema too. */
export type ServerEntryConfig = { dataDir: string; databaseUrl?: string; databaseSchema?: string };

export type ChildRequest =
  | { type: 'memory' }
  | { type: 'stop' }
  | { type: 'profile_start' }
  | { type: 'profile_stop'; file: string };
export type ChildReport =
  | { type: 'listening'; url: string; memory: NodeJS.MemoryUsage }
  | { type: 'memory'; memory: NodeJS.MemoryUsage }
  | { type: 'profile_started' }
  | { type: 'profile_written'; file: string };

/** The server process as the bench sees it: its URL, its own memory reports, and a bounded stop. */
export class ServerChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly pid: number,
  ) {}

  static async start(config: ServerEntryConfig): Promise<ServerChild> {
    const execArgv = ['--import', 'tsx', '--expose-gc'];
    const child = fork(ENTRY, [], {
      execArgv,
      env: { ...process.env, PARLEY_BENCH_SERVER: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bench server did not start within 60 s')), 60_000);
      child.once('message', (message: ChildReport) => {
        clearTimeout(timer);
        if (message.type === 'listening') resolve(message.url);
        else reject(new Error(`unexpected first report: ${message.type}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bench server exited with ${code}`));
      });
    });
    return new ServerChild(child, url, child.pid!);
  }

  /** Sends a request and waits for the report of type `answer`. */
  private ask<Type extends ChildReport['type']>(request: ChildRequest, answer: Type): Promise<Extract<ChildReport, { type: Type }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${answer} report within 30 s`)), 30_000);
      const onMessage = (message: ChildReport) => {
        if (message.type !== answer) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message as Extract<ChildReport, { type: Type }>);
      };
      this.child.on('message', onMessage);
      this.child.send(request);
    });
  }

  /** The server's own process.memoryUsage(), after two forced garbage collections. */
  async memory(): Promise<NodeJS.MemoryUsage> {
    return (await this.ask({ type: 'memory' }, 'memory')).memory;
  }

  /** Starts V8's sampling CPU profiler in the server (what `node --cpu-prof` uses). */
  async startProfile(): Promise<void> {
    await this.ask({ type: 'profile_start' }, 'profile_started');
  }

  /** Stops it and writes the `.cpuprofile` to `file`. */
  async stopProfile(file: string): Promise<void> {
    await this.ask({ type: 'profile_stop', file }, 'profile_written');
  }

  /** Graceful stop (so a CPU profile gets written); SIGKILL if it takes longer than 30 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ChildRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
