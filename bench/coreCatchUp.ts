/**
 * bench/coreCatchUp: a device's catch-up after a day offline, in the core alone — how fast a
 * queue of N messages (default 10,000) waiting on the server becomes committed, decrypted inbox
 * items, from the connect to the last one handed over (as the app's history store would take
 * it). `npm run bench:app` measures the same with the whole app (history store and screen).
 * The server runs as its own process (SQLite, or PostgreSQL with PARLEY_DATABASE_URL).
 * Run: `npm run bench:catchup` (or `-- --messages 2000`; `--cpu-prof FILE` profiles the device's catch-up).
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
import { cpuSeconds } from './processCpu';
import { startSpanProfiler } from './spanProfiler';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    /** A CPU profile of the device's catch-up (this process, connect → last) into this file. */
    'cpu-prof': { type: 'string' },
  },
});
const MESSAGES = Number(values.messages);
if (!Number.isInteger(MESSAGES) || MESSAGES < 1) throw new Error(`--messages must be a whole number above 0, not ${values.messages}`);
const databaseUrl = process.env.PARLEY_DATABASE_URL;

async function main() {
  const directories = new TemporaryDirectories();
  const backend = databaseUrl ? ({ name: 'postgres', databaseUrl } as const) : ({ name: 'sqlite' } as const);
  const schema = databaseUrl ? randomSchema() : undefined;
  const server = new ServerProcess({
    port: await freePort(),
    dataDir: directories.make('catchup-server'),
    backend,
    schema,
    logLevel: 'warn',
    limits: GENEROUS_TEST_LIMITS,
  });
  await server.start();
  try {
    const alice = await (await TestDevice.register(server.url, 'alice', directories)).start();
    const bob = await TestDevice.register(server.url, 'bob', directories);
    const queueStarted = performance.now();
    const ids: string[] = [];
    for (let index = 0; index < MESSAGES; index += 1) {
      ids.push((await alice.core.sendText({ username: 'bob' }, `catch-up message ${index + 1} of ${MESSAGES}`)).messageId);
    }
    await Promise.all(ids.map((id) => alice.core.waitUntilSent(id)));
    const queueSeconds = (performance.now() - queueStarted) / 1000;
    process.stderr.write(`queued ${MESSAGES} in ${queueSeconds.toFixed(1)} s\n`);

    const profiler = values['cpu-prof'] ? await startSpanProfiler() : undefined;
    const cpuBefore = process.cpuUsage();
    const serverCpuBefore = cpuSeconds(server.pid!);
    const connected = performance.now();
    await bob.start();
    let firstAt = 0;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (firstAt === 0 && bob.messages.length > 0) firstAt = performance.now();
        if (bob.messages.length >= MESSAGES) resolve();
      };
      bob.core.onInboxChanged.on(check);
      check();
    });
    const seconds = (performance.now() - connected) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await profiler?.stop(values['cpu-prof']!);
    const serverCores = (cpuSeconds(server.pid!) - serverCpuBefore) / seconds;
    const inOrder = bob.messages.every((message, index) => message.messageId === ids[index]);
    const once = [...bob.handedOver.values()].every((count) => count === 1);
    await Promise.all([alice.stop(), bob.stop()]);

    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, server on ${backend.name}`;
    const row = {
      messages: MESSAGES,
      seconds,
      perSecond: MESSAGES / seconds,
      firstMs: firstAt - connected,
      clientCores: (cpu.user + cpu.system) / 1e6 / seconds,
      serverCores,
      inOrder,
      exactlyOnce: once,
    };
    console.log(`\ncore catch-up: ${MESSAGES} messages queued while the device was offline — ${machine}\n`);
    console.log('| messages | connect → first ms | connect → last s | messages/s | in order, once | device cores | server cores |');
    console.log('|---:|---:|---:|---:|---|---:|---:|');
    console.log(
      `| ${row.messages} | ${row.firstMs.toFixed(0)} | ${row.seconds.toFixed(2)} | ${Math.round(row.perSecond)} | ${inOrder && once ? 'yes' : 'NO'} | ${row.clientCores.toFixed(2)} | ${row.serverCores.toFixed(2)} |`,
    );
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    const file = new URL(`./results/coreCatchUp-${backend.name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
    writeFileSync(file, JSON.stringify({ machine, row }, null, 2));
    console.log(`\nwrote ${file.pathname}`);
  } finally {
    await server.stop();
    if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
    directories.removeAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
