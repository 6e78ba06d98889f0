/**
 * One process's share of bench:relay's pairs (a device is a process of its own in real life, so the
 * cores are spread over processes, not all on one event loop). Driven by bench/relay.ts over IPC:
 * `start` → registers and starts its pairs, warms every session up, answers `ready`; `go` → runs
 * a closed or an open loop, answers `result`; `stop` → stops the devices and exits.
 */
import { TemporaryDirectories } from '../../integration/harness/temporaryDirectory';
import { TestDevice } from '../../integration/harness/testDevice';
import type { MessageProbe, MessageStage } from '../../src-main/core/sync/messageProbe';
import { startSpanProfiler } from '../spanProfiler';
import { STAGES, type ChildCommand, type ChildReply, type Load, type StageName } from './relayProtocol';

/** Per message: when it was sent, queued durably, passed each probe stage and was seen in the inbox. */
type Timeline = { sent?: number; queued?: number; seen?: number } & Partial<Record<MessageStage, number>>;

const timelines = new Map<string, Timeline>();
const timelineOf = (messageId: string) => {
  let timeline = timelines.get(messageId);
  if (!timeline) timelines.set(messageId, (timeline = {}));
  return timeline;
};

const probe: MessageProbe = {
  now: () => performance.now(),
  record(stage, messageIds, at) {
    for (const messageId of messageIds) {
      const timeline = timelineOf(messageId);
      timeline[stage] ??= at;
    }
  },
};

/** Total time per stage over the messages seen; each boundary is at least the previous one, so the stages add up to the latency. */
function stageTotals(): Record<StageName, number> {
  const totals = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<StageName, number>;
  for (const timeline of timelines.values()) {
    if (timeline.sent === undefined || timeline.seen === undefined) continue;
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
  return totals;
}

const directories = new TemporaryDirectories();
const senders: TestDevice[] = [];
const receivers: TestDevice[] = [];

const reply = (message: ChildReply) => process.send!(message);

async function start(serverUrl: string, names: string[]) {
  for (const name of names) {
    senders.push(await (await TestDevice.register(serverUrl, `s${name}`, directories)).start({ probe }));
    receivers.push(await (await TestDevice.register(serverUrl, `r${name}`, directories)).start({ probe }));
  }
  // Warm-up: one message per pair starts every session (PQXDH) outside the measurement.
  await Promise.all(
    senders.map(async (sender, index) => {
      const receiver = receivers[index]!;
      const sent = await sender.core.sendText({ accountId: receiver.accountId }, 'warm-up');
      await new Promise<void>((resolve) => {
        const has = () => receiver.messages.some((message) => message.messageId === sent.messageId);
        const stop = receiver.core.onInboxChanged.on(() => {
          if (!has()) return;
          stop();
          resolve();
        });
        if (has()) resolve();
      });
      receiver.messages.splice(0);
    }),
  );
  timelines.clear();
}

async function go(perPair: number, load: Load, profileFile: string | undefined) {
  timelines.clear();
  const profiler = profileFile ? await startSpanProfiler() : undefined;
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    senders.map(
      (sender, index) =>
        new Promise<void>((resolve) => {
          const receiver = receivers[index]!;
          let sent = 0;
          let received = 0;
          const sendOne = (at = performance.now()) => {
            sent += 1;
            void sender.core.sendText({ accountId: receiver.accountId }, `bench message ${sent} of pair ${index}`).then((message) => {
              const timeline = timelineOf(message.messageId);
              timeline.sent = at;
              timeline.queued = performance.now();
            });
          };
          const stopListening = receiver.core.onInboxChanged.on(() => {
            const now = performance.now();
            for (const message of receiver.messages.splice(0)) {
              const timeline = timelines.get(message.messageId);
              if (timeline?.sent === undefined || timeline.seen !== undefined) continue;
              timeline.seen = now;
              latencies.push(now - timeline.sent);
              received += 1;
              if (load.kind === 'closed' && sent < perPair) sendOne();
            }
            if (received >= perPair) {
              stopListening();
              resolve();
            }
          });
          if (load.kind === 'closed') {
            for (let slot = 0; slot < Math.min(load.window, perPair); slot += 1) sendOne();
            return;
          }
          // Open loop: message k is due at start + phase + k × interval; each is timed from when it was due.
          const interval = 1000 / load.perPairPerSecond;
          const phase = Math.random() * interval;
          const dueAt = (index: number) => started + phase + index * interval;
          const tick = () => {
            while (sent < perPair && dueAt(sent) <= performance.now()) sendOne(dueAt(sent));
            if (sent < perPair) setTimeout(tick, Math.max(0, dueAt(sent) - performance.now()));
          };
          tick();
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await profiler?.stop(profileFile!);
  reply({ type: 'result', latencies, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, stageTotals: stageTotals() });
}

async function stop() {
  await Promise.all([...senders, ...receivers].map((device) => device.stop()));
  directories.removeAll();
  process.exit(0);
}

process.on('message', (command: ChildCommand) => {
  const done =
    command.type === 'start'
      ? start(command.serverUrl, command.names).then(() => reply({ type: 'ready' }))
      : command.type === 'go'
        ? go(command.perPair, command.load, command.profileFile)
        : stop();
  done.catch((error: unknown) => {
    reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  });
});
