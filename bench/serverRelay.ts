/**
 * bench/serverRelay: the server's own ceiling. The server runs alone in a child process
 * (bench/serverRelay/serverEntry.ts: buildServer with a cheap Argon2 cost and generous abuse
 * limits, on a fresh SQLite directory or a fresh PostgreSQL schema); this process registers
 * simulated devices over HTTP with real, validly signed keys, connects each over a real
 * WebSocket, and has pairs send each other pre-encrypted envelopes (~200 B and ~2 KB bodies),
 * acking what they receive.
 *
 * Per backend and device count it measures: durable messages per second (a message counts when
 * its `send_result` is ok) with a closed loop; p50/p99 from send to the recipient's receipt; the
 * same at half that rate with an open loop; and, at the largest count, server RSS per idle
 * connection. Every phase is bounded in time.
 *
 * Run: `npm run bench:server` (all), or e.g. `npm run bench:server -- --backend sqlite --devices 100`.
 * PostgreSQL: PARLEY_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test.
 * `--cpu-prof DIR`: V8's CPU profile of the server (the profiler `node --cpu-prof` uses) during each
 * closed-loop run only, written to DIR and summarised (self time per function and per file).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { dropSchema } from '../src-server/testing/backends';
import { makeAccounts, registerAll, type BenchAccount, type RegistrationStats } from './serverRelay/benchDevices';
import { connectAll, type BenchSocket } from './serverRelay/benchSocket';
import { Load, type LoadResult } from './serverRelay/load';
import { MessageBodies, type BodyMix } from './serverRelay/messageBodies';
import { formatSummary, summariseProfile } from './serverRelay/profileSummary';
import { ServerChild } from './serverRelay/serverChild';
import { cpuSeconds } from './processCpu';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite,postgres' },
    devices: { type: 'string', default: '100,1000,10000' },
    /** Devices that send (in pairs); the rest stay connected and idle. Default: all, at most 1,000. */
    active: { type: 'string' },
    /** Closed loop: unanswered sends in all, spread over the senders (each 1–32). */
    'in-flight': { type: 'string', default: '1024' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    drain: { type: 'string', default: '10' },
    body: { type: 'string', default: 'mix' },
    /** Also the open loop at this fraction of the closed loop's rate; 0 skips it. */
    'half-load': { type: 'string', default: '0.5' },
    'cpu-prof': { type: 'string' },
    out: { type: 'string' },
  },
});

const backends = values.backend.split(',') as Array<'sqlite' | 'postgres'>;
const deviceLevels = values.devices.split(',').map(Number);
const measureMs = Number(values.seconds) * 1000;
const warmupMs = Number(values.warmup) * 1000;
const drainMs = Number(values.drain) * 1000;
const totalInFlight = Number(values['in-flight']);
const halfLoad = Number(values['half-load']);
const bodyMix = values.body as BodyMix;
const databaseUrl = process.env.PARLEY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
if (!backends.every((name) => name === 'sqlite' || name === 'postgres')) throw new Error('--backend takes sqlite and/or postgres');
if (!['small', 'large', 'mix'].includes(bodyMix)) throw new Error('--body takes small, large or mix');
if (!deviceLevels.every((count) => Number.isInteger(count) && count >= 2)) throw new Error('--devices takes whole numbers ≥ 2');

type Row = {
  backend: string;
  devices: number;
  active: number;
  registerSeconds: number;
  /** Registrations refused by a limit the overrides did not reach, then retried. */
  registration: RegistrationStats;
  connectSeconds: number;
  /** Server RSS and heap growth per connection, from before connecting to all connected and idle. */
  idle?: { connections: number; rssBytesPerConnection: number; heapBytesPerConnection: number; rssBefore: number; rssAfter: number };
  /** Open file descriptors when every device is connected: this process and the server's. */
  fds?: { load: number; server: number };
  runs: MeasuredRun[];
};

const openFds = (pid: number | 'self') => {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
};


/** A load run with the CPU the server and this process used meanwhile, in cores (1 = one core busy throughout). */
type MeasuredRun = LoadResult & { serverCores: number; loadCores: number };

async function measured(server: ServerChild, run: () => Promise<LoadResult>): Promise<MeasuredRun> {
  const started = performance.now();
  const serverBefore = cpuSeconds(server.pid);
  const loadBefore = cpuSeconds('self');
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  return { ...result, serverCores: (cpuSeconds(server.pid) - serverBefore) / seconds, loadCores: (cpuSeconds('self') - loadBefore) / seconds };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function runLevel(backend: 'sqlite' | 'postgres', devices: number, accounts: BenchAccount[], cpuProfileDir?: string): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-server-'));
  const schema = backend === 'postgres' ? `parley_bench_${randomBytes(6).toString('hex')}` : undefined;
  const server = await ServerChild.start(backend === 'postgres' ? { dataDir, databaseUrl, databaseSchema: schema } : { dataDir });
  let sockets: BenchSocket[] = [];
  try {
    let started = performance.now();
    const { devices: registered, stats: registration } = await registerAll(server.url, accounts.slice(0, devices));
    const registerSeconds = (performance.now() - started) / 1000;
    log(`  ${backend} ${devices}: registered in ${registerSeconds.toFixed(1)} s (${JSON.stringify(registration)})`);

    const before = await server.memory();
    started = performance.now();
    sockets = await connectAll(server.url, registered);
    const connectSeconds = (performance.now() - started) / 1000;
    // Let the sessions' first queue reads and activity writes finish before measuring memory.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await server.memory();
    const fds = { load: openFds('self'), server: openFds(server.pid) };
    log(`  ${backend} ${devices}: connected in ${connectSeconds.toFixed(1)} s; fds load ${fds.load}, server ${fds.server}`);

    const active = Math.min(devices, values.active ? Number(values.active) : 1_000);
    const window = Math.max(1, Math.min(32, Math.round(totalInFlight / active)));
    const load = new Load(new MessageBodies(bodyMix));
    const runs: MeasuredRun[] = [];
    if (cpuProfileDir) await server.startProfile();
    const closed = await measured(server, () => load.run({ sockets, active, mode: { kind: 'closed', window }, warmupMs, measureMs, drainMs }));
    if (cpuProfileDir) await server.stopProfile(join(cpuProfileDir, `server-${backend}-${devices}.cpuprofile`));
    runs.push(closed);
    log(`  ${backend} ${devices}: closed loop ${Math.round(closed.durablePerSecond)}/s, p99 ${closed.latency.p99.toFixed(1)} ms`);
    if (halfLoad > 0 && closed.durablePerSecond > 0) {
      const rate = Math.max(1, Math.round(closed.durablePerSecond * halfLoad));
      const open = await measured(server, () => load.run({ sockets, active, mode: { kind: 'open', rate }, warmupMs, measureMs, drainMs }));
      runs.push(open);
      log(`  ${backend} ${devices}: open loop at ${rate}/s: ${Math.round(open.durablePerSecond)}/s, p99 ${open.latency.p99.toFixed(1)} ms`);
    }
    return {
      backend,
      devices,
      active: active - (active % 2),
      registerSeconds,
      registration,
      connectSeconds,
      idle: {
        connections: devices,
        rssBytesPerConnection: (after.rss - before.rss) / devices,
        heapBytesPerConnection: (after.heapUsed - before.heapUsed) / devices,
        rssBefore: before.rss,
        rssAfter: after.rss,
      },
      fds,
      runs,
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(databaseUrl, schema);
  }
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function printTable(rows: Row[]) {
  console.log('| backend | devices | senders | load | offered/s | durable msg/s | p50 ms | p99 ms | max ms | server cores | msg per server CPU-s | load cores | errors |');
  console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) {
    for (const run of row.runs) {
      const load = run.mode === 'closed' ? `closed, window ${run.window}` : `open${run.overloaded ? ' (overloaded)' : ''}`;
      const errors = Object.entries(run.errors).map(([code, count]) => `${code} ${count}`);
      if (run.unanswered) errors.push(`unanswered ${run.unanswered}`);
      if (run.undelivered) errors.push(`undelivered ${run.undelivered}`);
      console.log(
        `| ${row.backend} | ${row.devices} | ${row.active} | ${load} | ${run.offeredPerSecond ?? '–'} | ${Math.round(run.durablePerSecond)} | ${fixed(run.latency.p50)} | ${fixed(run.latency.p99)} | ${fixed(run.latency.max)} | ${fixed(run.serverCores, 2)} | ${Math.round(run.durablePerSecond / run.serverCores)} | ${fixed(run.loadCores, 2)} | ${errors.join(', ') || '0'} |`,
      );
    }
  }
  console.log('\n| backend | idle connections | server RSS before → after | RSS per connection | heap per connection | fds load / server | register s | connect s |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    if (!row.idle) continue;
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `| ${row.backend} | ${row.idle.connections} | ${mib(row.idle.rssBefore)} → ${mib(row.idle.rssAfter)} | ${(row.idle.rssBytesPerConnection / 1024).toFixed(1)} KB | ${(row.idle.heapBytesPerConnection / 1024).toFixed(1)} KB | ${row.fds?.load ?? '–'} / ${row.fds?.server ?? '–'} | ${fixed(row.registerSeconds)} | ${fixed(row.connectSeconds)} |`,
    );
  }
}

async function main() {
  const maxDevices = Math.max(...deviceLevels);
  let started = performance.now();
  const accounts = makeAccounts(maxDevices);
  log(`keys for ${maxDevices} accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const cpuProfileDir = values['cpu-prof'];
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });

  const rows: Row[] = [];
  started = performance.now();
  for (const backend of backends) {
    for (const devices of deviceLevels) rows.push(await runLevel(backend, devices, accounts, cpuProfileDir));
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const settings = { measureSeconds: measureMs / 1000, warmupSeconds: warmupMs / 1000, body: bodyMix, inFlight: totalInFlight, halfLoad };
  console.log(`\nserverRelay: the server alone, one device per account, ${bodyMix} bodies (80 % 200 B, 20 % 2 KB in a mix), ${measureMs / 1000} s per run — ${machine}\n`);
  printTable(rows);

  const profiles: Record<string, ReturnType<typeof summariseProfile>> = {};
  if (cpuProfileDir) {
    for (const row of rows) {
      const file = join(cpuProfileDir, `server-${row.backend}-${row.devices}.cpuprofile`);
      const summary = summariseProfile(file);
      profiles[`${row.backend}-${row.devices}`] = {
        ...summary,
        byFunction: summary.byFunction.slice(0, 40),
        byFile: summary.byFile.slice(0, 40),
        inclusiveOwn: summary.inclusiveOwn.slice(0, 40),
      };
      console.log(`\nserver CPU profile during the closed-loop run, ${row.backend}, ${row.devices} devices (${file}):\n`);
      console.log(formatSummary(summary, 25));
    }
  }

  const file = values.out ?? new URL('./results/serverRelay.json', import.meta.url).pathname;
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify({ machine, settings, seconds: (performance.now() - started) / 1000, rows, profiles }, null, 2));
  console.log(`\nwrote ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
