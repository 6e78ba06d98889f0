import type { Envelope } from '../../src-shared/protocol/frames';
import type { BenchSocket } from './benchSocket';
import { numberOf, type MessageBodies } from './messageBodies';

/**
 * Closed loop: every sending device keeps `window` sends unanswered, sending the next when a
 * `send_result` comes (the server's ceiling). Open loop: sends are scheduled at `rate` per
 * second whatever the answers, and latency counts from the scheduled moment, so a stalled
 * server cannot hide its queueing (no coordinated omission).
 */
export type LoadMode = { kind: 'closed'; window: number } | { kind: 'open'; rate: number };

export type LoadPlan = {
  /** The first `active` sockets send, device 2k to 2k+1 and back; the rest are connected and idle. */
  sockets: BenchSocket[];
  active: number;
  mode: LoadMode;
  warmupMs: number;
  measureMs: number;
  /** After the measurement no new sends; answers and deliveries still in flight get this long. */
  drainMs: number;
};

export type LoadResult = {
  mode: LoadMode['kind'];
  window?: number;
  offeredPerSecond?: number;
  /** Sends issued during the measurement. */
  issued: number;
  /** `send_result` ok frames that arrived during the measurement. */
  durable: number;
  durablePerSecond: number;
  /** Envelope ciphertext bytes per second made durable. */
  durableBytesPerSecond: number;
  /** Send → recipient receives the envelope, for sends issued during the measurement (ms). */
  latency: { count: number; p50: number; p90: number; p99: number; max: number };
  /** Measured sends with no answer, or not delivered, when the drain ended. */
  unanswered: number;
  undelivered: number;
  /** Open loop: in-flight sends passed the guard and issuing stopped early. */
  overloaded: boolean;
  errors: Record<string, number>;
};

type Sent = { at: number; measured: boolean; answered: boolean; delivered: boolean; bytes: number };

const percentile = (sorted: Float64Array, fraction: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;

/** One load run at a time over a set of connected sockets; message numbers never repeat across runs. */
export class Load {
  private nextNumber = 1;

  constructor(private readonly bodies: MessageBodies) {}

  run(plan: LoadPlan): Promise<LoadResult> {
    const { sockets, active, mode } = plan;
    if (active < 2 || active > sockets.length) throw new Error(`cannot run ${active} senders over ${sockets.length} sockets`);
    const senders = sockets.slice(0, active - (active % 2));
    const peerOf = new Map(senders.map((socket, index) => [socket, senders[index ^ 1]!]));
    const inFlight = new Map<number, Sent>();
    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    let phase: 'warmup' | 'measure' | 'drain' = 'warmup';
    let issued = 0;
    let durable = 0;
    let durableBytes = 0;
    let overloaded = false;
    let measureStartedAt = 0;
    let measureEndedAt = 0;
    const countError = (code: string) => {
      errors[code] = (errors[code] ?? 0) + 1;
    };
    // Measured sends not yet both answered and delivered: the drain waits for these.
    let measuredInFlight = 0;
    const settle = (messageNumber: number, sent: Sent) => {
      if (!sent.answered || !sent.delivered) return;
      inFlight.delete(messageNumber);
      if (sent.measured) measuredInFlight--;
    };

    const sendFrom = (socket: BenchSocket, scheduledAt: number) => {
      const peer = peerOf.get(socket)!.device;
      const messageNumber = this.nextNumber++;
      const { body, ciphertextType } = this.bodies.make(messageNumber);
      const measured = phase === 'measure';
      if (measured) {
        issued++;
        measuredInFlight++;
      }
      inFlight.set(messageNumber, { at: scheduledAt, measured, answered: false, delivered: false, bytes: (body.length * 3) / 4 });
      socket.sendText(
        JSON.stringify({
          type: 'send',
          requestId: String(messageNumber),
          idempotencyKey: `m${messageNumber}`,
          to: peer.accountId,
          timestamp: Date.now(),
          envelopes: [{ accountId: peer.accountId, deviceId: peer.deviceId, registrationId: peer.keys.registrationId, ciphertextType, body }],
        }),
      );
    };

    return new Promise<LoadResult>((resolve) => {
      let drainTimer: NodeJS.Timeout | undefined;
      const finishIfDrained = () => {
        if (phase === 'drain' && measuredInFlight === 0) finish();
      };
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(drainTimer);
        clearInterval(ticker);
        for (const socket of sockets) socket.use({ onSendResult: () => undefined, onEnvelopes: () => undefined, onError: () => undefined });
        const measuredLeft = [...inFlight.values()].filter((sent) => sent.measured);
        const seconds = (measureEndedAt - measureStartedAt) / 1000;
        const sorted = Float64Array.from(latencies).sort();
        resolve({
          mode: mode.kind,
          ...(mode.kind === 'closed' ? { window: mode.window } : { offeredPerSecond: mode.rate }),
          issued,
          durable,
          durablePerSecond: durable / seconds,
          durableBytesPerSecond: durableBytes / seconds,
          latency: {
            count: sorted.length,
            p50: percentile(sorted, 0.5),
            p90: percentile(sorted, 0.9),
            p99: percentile(sorted, 0.99),
            max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
          },
          unanswered: measuredLeft.filter((sent) => !sent.answered).length,
          undelivered: measuredLeft.filter((sent) => !sent.delivered).length,
          overloaded,
          errors,
        });
      };

      for (const socket of sockets) {
        socket.use({
          onSendResult: (from, requestId, ok, errorCode) => {
            const messageNumber = Number(requestId);
            const sent = inFlight.get(messageNumber);
            if (!sent) return;
            sent.answered = true;
            if (ok) {
              if (phase === 'measure') {
                durable++;
                durableBytes += sent.bytes;
              }
            } else {
              countError(errorCode ?? 'unknown');
              // A refused send is never delivered.
              sent.delivered = true;
            }
            settle(messageNumber, sent);
            if (mode.kind === 'closed' && phase !== 'drain') sendFrom(from, performance.now());
            finishIfDrained();
          },
          onEnvelopes: (_to, envelopes: Envelope[], receivedAt) => {
            for (const envelope of envelopes) {
              const messageNumber = numberOf(envelope.body);
              const sent = inFlight.get(messageNumber);
              if (!sent || sent.delivered) continue;
              sent.delivered = true;
              if (sent.measured) latencies.push(receivedAt - sent.at);
              settle(messageNumber, sent);
            }
            finishIfDrained();
          },
          onError: (_socket, code) => countError(`error frame: ${code}`),
        });
      }

      const startedAt = performance.now();
      setTimeout(() => {
        phase = 'measure';
        measureStartedAt = performance.now();
      }, plan.warmupMs);
      setTimeout(() => {
        phase = 'drain';
        measureEndedAt = performance.now();
        drainTimer = setTimeout(finish, plan.drainMs);
        finishIfDrained();
      }, plan.warmupMs + plan.measureMs);

      // Open loop: every millisecond, issue what the schedule says is due, round-robin over the senders.
      const rate = mode.kind === 'open' ? mode.rate : 0;
      const intervalMs = 1000 / rate;
      const guard = Math.max(1_000, rate * 2);
      let scheduled = 0;
      let cursor = 0;
      const ticker =
        mode.kind === 'open'
          ? setInterval(() => {
              if (phase === 'drain') return clearInterval(ticker);
              const now = performance.now();
              while (startedAt + scheduled * intervalMs <= now) {
                if (inFlight.size > guard) {
                  overloaded = true;
                  return;
                }
                sendFrom(senders[cursor]!, startedAt + scheduled * intervalMs);
                cursor = (cursor + 1) % senders.length;
                scheduled++;
              }
            }, 1)
          : undefined;
      if (mode.kind === 'closed') {
        for (let slot = 0; slot < mode.window; slot++) for (const socket of senders) sendFrom(socket, performance.now());
      }
    });
  }
}
