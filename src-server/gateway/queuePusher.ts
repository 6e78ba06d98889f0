import { LIMITS } from '../../src-shared/domain/limits';
import type { Envelope } from '../../src-shared/protocol/frames';
import type { QueuedEnvelope } from '../storage/envelopesRepository';

/** Rows read per query: bounds memory when envelopes are large. */
const PAGE_SIZE = 100;
/**
 * Bytes of envelope bodies in one `envelopes` frame (an envelope larger than this goes alone, and
 * an envelope is far below the frame limit). Small frames keep what waits in a socket's output
 * small, so a slow reader holds little of the server's memory.
 */
const DEFAULT_FRAME_BUDGET = Math.min(1024 * 1024, LIMITS.frameMaxBytes - 64 * 1024);
/** Default for `maxUnflushedBytes`. */
const DEFAULT_MAX_UNFLUSHED_BYTES = 1024 * 1024;
/** JSON around one envelope's body: ids, timestamps, field names. */
const ENVELOPE_OVERHEAD = 320;

export type QueuePusherOptions = {
  /** Reads the device's queue after a sequence number, oldest first. */
  pending(afterSeq: number, limit: number): Promise<QueuedEnvelope[]>;
  /**
   * Sends one `envelopes` frame and calls `flushed` once its bytes have left for the network.
   * Until then they count against `maxUnflushedBytes`.
   */
  push(items: Envelope[], flushed: () => void): void;
  /** Pushing pauses while more than this many bytes of pushed frames wait in the socket's output. */
  maxUnflushedBytes?: number;
  /** Envelope bytes per frame (default 1 MiB); an envelope larger than this goes in a frame of its own. */
  frameBudget?: number;
  /** Sends `queue_drained`. */
  drained(): void;
  window?: number;
};

/**
 * Pushes one device's queue over one connection: in queue order, each envelope at most once
 * (a cursor over the never-reused sequence), never more than `window` unacked. Runs one pump
 * at a time; a wake-up during a pump makes it look again when it ends. A pump starts on the
 * event loop's next turn, so the wake-ups of one group commit (one per send) cost one read.
 */
export class QueuePusher {
  private readonly window: number;
  private readonly unacked = new Set<string>();
  private cursor = 0;
  private drainMark = 0;
  private started = false;
  private stopped = false;
  private drainedSent = false;
  private again = false;
  /**
   * The last pump ended at the queue's end, so an ack alone lets nothing more out (new mail
   * wakes the pusher). False after a full window or a failed read: then an ack looks again.
   */
  private sawQueueEnd = false;
  private pumping: Promise<void> | undefined;
  private unflushedBytes = 0;
  private readonly maxUnflushedBytes: number;
  private readonly frameBudget: number;
  /** A pump stopped because the socket's output was full; a flush starts it again. */
  private waitingForFlush = false;

  constructor(private readonly options: QueuePusherOptions) {
    this.window = options.window ?? LIMITS.deliveryWindow;
    this.maxUnflushedBytes = options.maxUnflushedBytes ?? DEFAULT_MAX_UNFLUSHED_BYTES;
    this.frameBudget = Math.min(options.frameBudget ?? DEFAULT_FRAME_BUDGET, DEFAULT_FRAME_BUDGET);
  }

  /** Bytes pushed that have not left for the network yet. */
  get unflushed(): number {
    return this.unflushedBytes;
  }

  /** Starts pushing. `drainMark` is the newest sequence queued when the device connected. */
  start(drainMark: number): Promise<void> {
    this.drainMark = drainMark;
    this.started = true;
    return this.wake();
  }

  /** New mail, or room in the window: look at the queue again. */
  wake(): Promise<void> {
    if (!this.started || this.stopped) return Promise.resolve();
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.loop())
      .finally(() => {
        this.pumping = undefined;
      });
    return this.pumping;
  }

  /**
   * The client processed these; they leave the window (acks for other connections' pushes are
   * harmless). A pump that stopped at the queue's end needs no new look: new mail wakes it.
   */
  acked(envelopeIds: readonly string[]): Promise<void> {
    for (const id of envelopeIds) this.unacked.delete(id);
    if (this.sawQueueEnd) return this.pumping ?? Promise.resolve();
    return this.wake();
  }

  get unackedCount(): number {
    return this.unacked.size;
  }

  /** No more pushes; resolves when a pump in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pumping?.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.pumpOnce();
    } while (this.again && !this.stopped);
  }

  private async pumpOnce(): Promise<void> {
    while (!this.stopped) {
      this.sawQueueEnd = false;
      if (this.unflushedBytes > this.maxUnflushedBytes) {
        // The client is not taking what it was sent: wait for a flush instead of piling up more.
        this.waitingForFlush = true;
        return;
      }
      const room = this.window - this.unacked.size;
      if (room <= 0) return;
      const limit = Math.min(room, PAGE_SIZE);
      const page = await this.options.pending(this.cursor, limit);
      if (this.stopped) return;
      const pushed = this.pushInFrames(page);
      for (const queued of page.slice(0, pushed)) this.unacked.add(queued.envelope.id);
      this.cursor = page[pushed - 1]?.seq ?? this.cursor;
      const sawEnd = pushed === page.length && page.length < limit;
      this.sawQueueEnd = sawEnd;
      if (!this.drainedSent && (sawEnd || this.cursor >= this.drainMark)) {
        this.drainedSent = true;
        this.options.drained();
      }
      if (pushed < page.length) {
        // The socket's output filled mid-page: the rest is read again after a flush.
        this.waitingForFlush = true;
        return;
      }
      if (sawEnd) return;
    }
  }

  /**
   * Pushes a page in frames of at most the frame budget, whatever the envelope sizes, and stops
   * before a frame when the socket's output is past `maxUnflushedBytes`. Returns how many of the
   * page's envelopes went out (a prefix of it).
   */
  private pushInFrames(page: readonly QueuedEnvelope[]): number {
    let batch: Envelope[] = [];
    let size = 0;
    let pushed = 0;
    for (const { envelope } of page) {
      const envelopeSize = envelope.body.length + ENVELOPE_OVERHEAD;
      if (batch.length > 0 && size + envelopeSize > this.frameBudget) {
        this.pushFrame(batch, size);
        pushed += batch.length;
        batch = [];
        size = 0;
        if (this.unflushedBytes > this.maxUnflushedBytes) return pushed;
      }
      batch.push(envelope);
      size += envelopeSize;
    }
    if (batch.length > 0) this.pushFrame(batch, size);
    return pushed + batch.length;
  }

  private pushFrame(batch: Envelope[], size: number): void {
    this.unflushedBytes += size;
    let flushed = false;
    this.options.push(batch, () => {
      if (flushed) return;
      flushed = true;
      this.unflushedBytes -= size;
      if (this.waitingForFlush && this.unflushedBytes <= this.maxUnflushedBytes) {
        this.waitingForFlush = false;
        void this.wake();
      }
    });
  }
}
