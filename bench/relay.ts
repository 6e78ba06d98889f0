/**
 * bench/relay: end-to-end messages per second between real cores through a real server
 * (encrypt → outbox → server → push → decrypt → vault commit → inbox), and delivery latency
 * from `sendText` to the recipient's committed inbox, at 1, 10 and 100 concurrent pairs.
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
import { dropSchema } from '../src-server/testing/backends';
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

type Row = { pairs: number; messages: number; seconds: number; perSecond: number; p50: number; p99: number; max: number };

const percentile = (sorted: number[], fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;

async function runLevel(serverUrl: string, pairs: number, directories: TemporaryDirectories, level: number): Promise<Row> {
  const senders: TestDevice[] = [];
  const receivers: TestDevice[] = [];
  for (let index = 0; index < pairs; index += 1) {
    senders.push(await (await TestDevice.register(serverUrl, `s${level}_${index}`, directories)).start());
    receivers.push(await (await TestDevice.register(serverUrl, `r${level}_${index}`, directories)).start());
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
            void sender.core.sendText({ accountId: receiver.accountId }, `bench message ${sent} of pair ${index}`).then((message) => {
              sentAt.set(message.messageId, at);
            });
          };
          receiver.core.onInboxChanged.on(() => {
            const now = performance.now();
            for (const message of receiver.messages.splice(0)) {
              const at = sentAt.get(message.messageId);
              if (at === undefined) continue;
              sentAt.delete(message.messageId);
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
      rows.push(await runLevel(serverUrl, pairs, directories, level));
      process.stderr.write(`done: ${pairs} pair(s)\n`);
    }
  } finally {
    await server?.stop();
    if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
    directories.removeAll();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, server on ${values.server ? values.server : backend.name}`;
  console.log(`\nrelay: ${messagesPerLevel} messages per level, window ${WINDOW} per pair — ${machine}\n`);
  console.log('| pairs | messages | seconds | messages/s | p50 ms | p99 ms | max ms |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.pairs} | ${row.messages} | ${row.seconds.toFixed(1)} | ${Math.round(row.perSecond)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.max.toFixed(1)} |`,
    );
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
