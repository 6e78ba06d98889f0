/**
 * bench/relay: end-to-end messages per second between real cores through a real server
 * (encrypt → outbox → server → push → decrypt → vault commit → inbox), and delivery latency
 * from `sendText` to the recipient's committed inbox, at 1, 10 and 100 concurrent pairs.
 * Where each message's time goes, from the cores' MessageProbe: outbox commit (sendText until its
 * outbox entry is on disk), encrypt (until its ciphertexts and sessions are on disk: waiting for
 * the crypto queue, encrypting, committing), server (until its envelope reaches the recipient's
 * receiver: the send, the server's commit, the push), decrypt (until its batch is decrypted and
 * committed), vault commit (until that commit is on disk and acked) and history (until the
 * recipient's inbox has been read, as the app's history store reads it).
 *
 * Each level runs twice: a closed loop (each pair keeps WINDOW messages in flight and sends the
 * next when one arrives: the most the pairs can carry, where latency is mostly time queued), then
 * an open loop at half that rate (each pair sends on a fixed schedule; latency from when each
 * message was due), which is the latency people would see under load.
 * The server runs as its own process (SQLite, or PostgreSQL with PARLEY_DATABASE_URL); the cores
 * run in `--processes` pair processes (relay/relayPairs.ts; default one per CPU), as devices run
 * in processes of their own. Run: `npm run bench:relay` (or `-- --pairs 1,10 --messages 2000`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ServerProcess } from '../integration/harness/serverProcess';
import { freePort, randomSchema } from '../integration/harness/serverUnderTest';
import { TemporaryDirectories } from '../integration/harness/temporaryDirectory';
import { dropSchema } from '../src-server/testing/backends';
import { GENEROUS_TEST_LIMITS } from '../src-server/testing/testServer';
import { cpuSeconds } from './processCpu';
import { STAGES, type ChildCommand, type ChildReply, type Load, type StageName } from './relay/relayProtocol';

const WINDOW = 16;
const PAIR_PROCESS = fileURLToPath(new URL('./relay/relayPairs.ts', import.meta.url));

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '1,10,100' },
    messages: { type: 'string', default: '3000' },
    /** Processes the pairs are spread over (each pair's two devices share one); default: one per CPU. */
    processes: { type: 'string', default: String(availableParallelism()) },
    /** Measure against a server that is already running (its own flags, profiler, machine). */
    server: { type: 'string' },
    /** V8 CPU profiles of the pair processes' measured runs into this folder (summarise with bench/serverRelay/profileSummary.ts). */
    'cpu-prof': { type: 'string' },
    /** A V8 CPU profile of the server's whole run (registrations included) into this folder. */
    'server-cpu-prof': { type: 'string' },
  },
});
const profileDirectory = values['cpu-prof'];
const pairLevels = values.pairs.split(',').map(Number);
const messagesPerLevel = Number(values.messages);
const processCount = Number(values.processes);
const databaseUrl = process.env.PARLEY_DATABASE_URL;
if (!Number.isInteger(processCount) || processCount < 1) throw new Error(`--processes must be a whole number above 0, not ${values.processes}`);

/** One measured run at one level. */
type Run = {
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Mean milliseconds per message in each stage (they add up to the mean latency). */
  stages: Record<StageName, number>;
  /** CPU the pair processes used together, in cores. */
  clientCores: number;
  /** CPU the server process used, in cores (NaN when it runs elsewhere). */
  serverCores: number;
};

type Row = {
  pairs: number;
  processes: number;
  /** As many as the pairs can carry (WINDOW in flight each): throughput. */
  closed: Run;
  /** At half the closed loop's rate, on a fixed schedule: latency under load. */
  open: Run & { offeredPerSecond: number };
};

const percentile = (sorted: number[], fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;

/** One pair process, answering in order. */
class PairProcess {
  private readonly child: ChildProcess;
  private readonly replies: ChildReply[] = [];
  private waiter: (() => void) | undefined;

  constructor() {
    this.child = fork(PAIR_PROCESS, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: ChildReply) => {
      this.replies.push(message);
      this.waiter?.();
    });
    this.child.on('exit', (code) => {
      if (code !== 0) this.replies.push({ type: 'failed', message: `a pair process exited with ${code}` });
      this.waiter?.();
    });
  }

  send(command: ChildCommand) {
    this.child.send(command);
  }

  async next<T extends ChildReply['type']>(type: T): Promise<Extract<ChildReply, { type: T }>> {
    while (this.replies.length === 0) await new Promise<void>((resolve) => (this.waiter = resolve));
    const reply = this.replies.shift()!;
    if (reply.type === 'failed') throw new Error(reply.message);
    if (reply.type !== type) throw new Error(`expected ${type} from a pair process, got ${reply.type}`);
    return reply as Extract<ChildReply, { type: T }>;
  }

  async stop() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send({ type: 'stop' });
    await exited;
  }
}

async function runLevel(serverUrl: string, serverPid: number | undefined, pairs: number, level: number): Promise<Row> {
  const count = Math.min(processCount, pairs);
  const children = Array.from({ length: count }, () => new PairProcess());
  const perPair = Math.ceil(messagesPerLevel / pairs);
  const measure = async (load: Load, name: string): Promise<Run> => {
    const serverCpuBefore = serverPid === undefined ? Number.NaN : cpuSeconds(serverPid);
    const started = performance.now();
    if (profileDirectory) mkdirSync(profileDirectory, { recursive: true });
    children.forEach((child, index) =>
      child.send({ type: 'go', perPair, load, profileFile: profileDirectory && `${profileDirectory}/pairs-${pairs}-${name}-process-${index}.cpuprofile` }),
    );
    const results = await Promise.all(children.map((child) => child.next('result')));
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = serverPid === undefined ? Number.NaN : cpuSeconds(serverPid) - serverCpuBefore;
    const latencies = results.flatMap((result) => result.latencies).sort((a, b) => a - b);
    const stages = Object.fromEntries(
      STAGES.map((stage) => [stage, results.reduce((sum, result) => sum + result.stageTotals[stage], 0) / Math.max(1, latencies.length)]),
    ) as Record<StageName, number>;
    return {
      messages: latencies.length,
      seconds,
      perSecond: latencies.length / seconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies[latencies.length - 1]!,
      stages,
      clientCores: results.reduce((sum, result) => sum + result.cpuSeconds, 0) / seconds,
      serverCores: serverCpu / seconds,
    };
  };
  try {
    children.forEach((child, index) => {
      const names = Array.from({ length: pairs }, (_, pair) => pair).filter((pair) => pair % count === index).map((pair) => `${level}_${pair}`);
      child.send({ type: 'start', serverUrl, names });
    });
    await Promise.all(children.map((child) => child.next('ready')));
    const closed = await measure({ kind: 'closed', window: WINDOW }, 'closed');
    const offeredPerSecond = closed.perSecond / 2;
    const open = await measure({ kind: 'open', perPairPerSecond: offeredPerSecond / pairs }, 'open');
    return { pairs, processes: count, closed, open: { ...open, offeredPerSecond } };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

async function main() {
  const directories = new TemporaryDirectories();
  const backend = databaseUrl ? ({ name: 'postgres', databaseUrl } as const) : ({ name: 'sqlite' } as const);
  const schema = databaseUrl ? randomSchema() : undefined;
  const server = values.server
    ? undefined
    : new ServerProcess({
        port: await freePort(),
        dataDir: directories.make('bench-server'),
        backend,
        schema,
        logLevel: 'warn',
        limits: GENEROUS_TEST_LIMITS,
        nodeFlags: values['server-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['server-cpu-prof']}`] : [],
      });
  await server?.start();
  const serverUrl = values.server ?? server!.url;
  const rows: Row[] = [];
  try {
    for (const [level, pairs] of pairLevels.entries()) {
      rows.push(await runLevel(serverUrl, server?.pid, pairs, level));
      process.stderr.write(`done: ${pairs} pair(s)\n`);
    }
  } finally {
    await server?.stop();
    if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
    directories.removeAll();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, server on ${values.server ? values.server : backend.name}`;
  console.log(`\nrelay: ${messagesPerLevel} messages per level and loop — ${machine}\n`);
  console.log(`closed loop (${WINDOW} in flight per pair: what the pairs can carry; latency is mostly queueing)\n`);
  console.log('| pairs | processes | messages | seconds | messages/s | p50 ms | p99 ms | max ms | client cores | server cores |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { pairs, processes, closed: run } of rows) {
    console.log(
      `| ${pairs} | ${processes} | ${run.messages} | ${run.seconds.toFixed(1)} | ${Math.round(run.perSecond)} | ${run.p50.toFixed(1)} | ${run.p99.toFixed(1)} | ${run.max.toFixed(1)} | ${run.clientCores.toFixed(2)} | ${run.serverCores.toFixed(2)} |`,
    );
  }
  console.log('\nopen loop at half the closed loop\'s rate (each pair on a fixed schedule; latency from when a message was due)\n');
  console.log('| pairs | offered msg/s | delivered msg/s | p50 ms | p99 ms | max ms | client cores | server cores |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { pairs, open: run } of rows) {
    console.log(
      `| ${pairs} | ${Math.round(run.offeredPerSecond)} | ${Math.round(run.perSecond)} | ${run.p50.toFixed(1)} | ${run.p99.toFixed(1)} | ${run.max.toFixed(1)} | ${run.clientCores.toFixed(2)} | ${run.serverCores.toFixed(2)} |`,
    );
  }
  console.log("\nwhere a message's time goes, closed / open loop (mean ms per message; the stages add up to the mean latency)\n");
  console.log(`| pairs | ${STAGES.join(' | ')} |`);
  console.log(`|---:|${STAGES.map(() => '---:').join('|')}|`);
  for (const row of rows) {
    console.log(`| ${row.pairs} | ${STAGES.map((stage) => `${row.closed.stages[stage].toFixed(1)} / ${row.open.stages[stage].toFixed(1)}`).join(' | ')} |`);
  }
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(`./results/relay-${backend.name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify({ machine, window: WINDOW, rows }, null, 2));
  console.log(`\nwrote ${file.pathname}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
