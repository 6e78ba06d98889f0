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
 * Closed loop: each pair keeps WINDOW messages in flight and sends the next when one arrives.
 * The server runs as its own process (SQLite, or PostgreSQL with PARLEY_DATABASE_URL); all cores
 * run in this process. Run: `npm run bench:relay` (or `-- --pairs 1,10 --messages 2000`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ServerProcess } from '../integration/harness/serverProcess';
import { freePort, randomSchema } from '../integration/harness/serverUnderTest';
import { TemporaryDirectories } from '../integration/harness/temporaryDirectory';
import { TestDevice } from '../integration/harness/testDevice';
import type { MessageProbe, MessageStage } from '../src-main/core/sync/messageProbe';
import { dropSchema } from '../src-server/testing/backends';
import { cpuSeconds } from './processCpu';
import { GENEROUS_TEST_LIMITS } from '../src-server/testing/testServer';

const WINDOW = 16;

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '1,10,100' },
    messages: { type: 'string', default: '3000' },
    /** Measure against a server that is already running (its own flags, profiler, machine). */
    server: { type: 'string' },
  },
});
const pairLevels = values.pairs.split(',').map(Number);
const messagesPerLevel = Number(values.messages);
const databaseUrl = process.env.PARLEY_DATABASE_URL;

const STAGES = ['outbox commit', 'encrypt', 'server', 'decrypt', 'vault commit', 'history'] as const;
type StageName = (typeof STAGES)[number];
type Row = {
  pairs: number;
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Mean milliseconds per message in each stage (they add up to the mean latency). */
  stages: Record<StageName, number>;
  /** CPU the benchmark process (all the cores) used, in cores. */
  clientCores: number;
  /** CPU the server process used, in cores (NaN when it runs elsewhere). */
  serverCores: number;
};

/** Per message: when it was sent, queued durably, and passed each probe stage. */
type Timeline = { sent: number; queued?: number; seen?: number } & Partial<Record<MessageStage, number>>;

function probeInto(timelines: Map<string, Timeline>): MessageProbe {
  return {
    now: () => performance.now(),
    record(stage, messageIds, at) {
      for (const messageId of messageIds) {
        const timeline = timelines.get(messageId);
        if (timeline && timeline[stage] === undefined) timeline[stage] = at;
      }
    },
  };
}

/** Mean time per stage; each boundary is at least the previous one, so the stages add up to the latency. */
function stageMeans(timelines: Iterable<Timeline>): Record<StageName, number> {
  const totals = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<StageName, number>;
  let count = 0;
  for (const timeline of timelines) {
    if (timeline.seen === undefined) continue;
    count += 1;
    let previous = timeline.sent;
    const boundaries: Array<[StageName, number | undefined]> = [
      ['outbox commit', timeline.queued],
      ['encrypt', timeline.prepared],
      ['server', timeline.arrived],
      ['decrypt', timeline.decrypted],
      ['vault commit', timeline.durable],
      ['history', timeline.seen],
    ];
    for (const [stage, at] of boundaries) {
      const boundary = Math.max(previous, at ?? previous);
      totals[stage] += boundary - previous;
      previous = boundary;
    }
  }
  for (const stage of STAGES) totals[stage] /= Math.max(1, count);
  return totals;
}

const percentile = (sorted: number[], fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;

async function runLevel(serverUrl: string, serverPid: number | undefined, pairs: number, directories: TemporaryDirectories, level: number): Promise<Row> {
  const senders: TestDevice[] = [];
  const receivers: TestDevice[] = [];
  const timelines = new Map<string, Timeline>();
  const probe = probeInto(timelines);
  for (let index = 0; index < pairs; index += 1) {
    senders.push(await (await TestDevice.register(serverUrl, `s${level}_${index}`, directories)).start({ probe }));
    receivers.push(await (await TestDevice.register(serverUrl, `r${level}_${index}`, directories)).start({ probe }));
  }
  // Warm-up: one message per pair starts every session (PQXDH) outside the measurement.
  await Promise.all(
    senders.map(async (sender, index) => {
      const receiver = receivers[index]!;
      const sent = await sender.core.sendText({ accountId: receiver.accountId }, 'warm-up');
      await new Promise<void>((resolve) => {
        const stop = receiver.core.onInboxChanged.on(() => {
          if (receiver.messages.some((message) => message.messageId === sent.messageId)) {
            stop();
            resolve();
          }
        });
        if (receiver.messages.some((message) => message.messageId === sent.messageId)) resolve();
      });
    }),
  );

  const perPair = Math.ceil(messagesPerLevel / pairs);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const serverCpuBefore = serverPid === undefined ? Number.NaN : cpuSeconds(serverPid);
  const started = performance.now();
  await Promise.all(
    senders.map(
      (sender, index) =>
        new Promise<void>((resolve) => {
          const receiver = receivers[index]!;
          const sentAt = new Map<string, number>();
          let sent = 0;
          let received = 0;
          const sendOne = () => {
            sent += 1;
            const at = performance.now();
            const timeline: Timeline = { sent: at };
            void sender.core.sendText({ accountId: receiver.accountId }, `bench message ${sent} of pair ${index}`).then((message) => {
              timeline.queued = performance.now();
              // The probe may have seen it already (it learns the id inside sendText): keep what it saw.
              timelines.set(message.messageId, { ...timelines.get(message.messageId), ...timeline });
              sentAt.set(message.messageId, at);
            });
          };
          receiver.core.onInboxChanged.on(() => {
            const now = performance.now();
            for (const message of receiver.messages.splice(0)) {
              const at = sentAt.get(message.messageId);
              if (at === undefined) continue;
              sentAt.delete(message.messageId);
              const timeline = timelines.get(message.messageId);
              if (timeline) timeline.seen = now;
              latencies.push(now - at);
              received += 1;
              if (sent < perPair) sendOne();
            }
            if (received >= perPair) resolve();
          });
          for (let window = 0; window < Math.min(WINDOW, perPair); window += 1) sendOne();
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpu = serverPid === undefined ? Number.NaN : cpuSeconds(serverPid) - serverCpuBefore;
  await Promise.all([...senders, ...receivers].map((device) => device.stop()));
  latencies.sort((a, b) => a - b);
  return {
    pairs,
    messages: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies[latencies.length - 1]!,
    stages: stageMeans(timelines.values()),
    clientCores: (cpu.user + cpu.system) / 1e6 / seconds,
    serverCores: serverCpu / seconds,
  };
}

async function main() {
  const directories = new TemporaryDirectories();
  const backend = databaseUrl ? ({ name: 'postgres', databaseUrl } as const) : ({ name: 'sqlite' } as const);
  const schema = databaseUrl ? randomSchema() : undefined;
  const server = values.server
    ? undefined
    : new ServerProcess({ port: await freePort(), dataDir: directories.make('bench-server'), backend, schema, logLevel: 'warn', limits: GENEROUS_TEST_LIMITS });
  await server?.start();
  const serverUrl = values.server ?? server!.url;
  const rows: Row[] = [];
  try {
    for (const [level, pairs] of pairLevels.entries()) {
      rows.push(await runLevel(serverUrl, server?.pid, pairs, directories, level));
      process.stderr.write(`done: ${pairs} pair(s)\n`);
    }
  } finally {
    await server?.stop();
    if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
    directories.removeAll();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, server on ${values.server ? values.server : backend.name}`;
  console.log(`\nrelay: ${messagesPerLevel} messages per level, window ${WINDOW} per pair — ${machine}\n`);
  console.log('| pairs | messages | seconds | messages/s | p50 ms | p99 ms | max ms | client cores | server cores |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.pairs} | ${row.messages} | ${row.seconds.toFixed(1)} | ${Math.round(row.perSecond)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.max.toFixed(1)} | ${row.clientCores.toFixed(2)} | ${row.serverCores.toFixed(2)} |`,
    );
  }
  console.log("\nwhere a message's time goes (mean ms per message; the stages add up to the mean latency)\n");
  console.log(`| pairs | ${STAGES.join(' | ')} |`);
  console.log(`|---:|${STAGES.map(() => '---:').join('|')}|`);
  for (const row of rows) {
    console.log(`| ${row.pairs} | ${STAGES.map((stage) => row.stages[stage].toFixed(1)).join(' | ')} |`);
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
