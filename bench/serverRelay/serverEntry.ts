/**
 * The server under test, in a process of its own: bench/serverRelay.ts forks this file and talks
 * to it over the IPC channel only, so the load generator's sockets, heap and CPU stay out of the
 * server's numbers. Its configuration comes as JSON in PARLEY_BENCH_SERVER (a ServerEntryConfig).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { buildServer } from '../../src-server/app';
import { createStderrLogger } from '../../src-server/logger';
import type { ChildReport, ChildRequest, ServerEntryConfig } from './serverChild';

/** Generous enough that no abuse limit shapes the measurement; what is measured is the relay path. */
const BENCH_LIMITS = {
  registrationsPerSourcePerHour: 1_000_000,
  registrationsPerMinute: 1_000_000,
  passwordHashConcurrency: 2,
  passwordHashQueueMax: 100_000,
  connectionsPerSource: 1_000_000,
  connectionsTotal: 1_000_000,
  queuedBytesPerDevice: 1024 * 1024 * 1024,
  socketBufferedBytesMax: 64 * 1024 * 1024,
};

function report(message: ChildReport) {
  process.send?.(message);
}

async function main() {
  const config = JSON.parse(process.env.PARLEY_BENCH_SERVER ?? '{}') as ServerEntryConfig;
  const server = await buildServer({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    logger: createStderrLogger('warn'),
    passwordHashing: { memoryCost: 256, timeCost: 1 },
    limits: BENCH_LIMITS,
  });
  const url = await server.listen(0, '127.0.0.1');
  report({ type: 'listening', url, memory: process.memoryUsage() });

  // The same sampling profiler as `node --cpu-prof`, started and stopped around one measured run
  // only, so start-up, registration and connecting stay out of the profile.
  let profiler: Session | undefined;
  process.on('message', (request: ChildRequest) => {
    if (request.type === 'profile_start') {
      profiler = new Session();
      profiler.connect();
      void profiler
        .post('Profiler.enable')
        .then(() => profiler?.post('Profiler.setSamplingInterval', { interval: 500 }))
        .then(() => profiler?.post('Profiler.start'))
        .then(() => report({ type: 'profile_started' }));
    } else if (request.type === 'profile_stop') {
      const session = profiler;
      profiler = undefined;
      void session?.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(request.file, JSON.stringify(profile));
        session.disconnect();
        report({ type: 'profile_written', file: request.file });
      });
    } else if (request.type === 'memory') {
      // Twice: the first pass lets finalizers run, the second collects what they freed.
      globalThis.gc?.();
      globalThis.gc?.();
      report({ type: 'memory', memory: process.memoryUsage() });
    } else if (request.type === 'stop') {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  // The parent went away without saying stop: do not linger.
  process.on('disconnect', () => {
    void server.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server: ${String(error)}\n`);
  process.exit(1);
});
