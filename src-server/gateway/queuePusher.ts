import { LIMITS } from '../../src-shared/domain/limits';
import type { Envelope } from '../../src-shared/protocol/frames';
import type { QueuedEnvelope } from '../storage/envelopesRepository';

/** Rows read per query: bounds memory when envelopes are large. */
const PAGE_SIZE = 100;
/** An `envelopes` frame stays this far below the frame limit, leaving room for its JSON wrapper. */
const FRAME_BUDGET = LIMITS.frameMaxBytes - 64 * 1024;
/** JSON around one envelope's body: ids, timestamps, field names. */
const ENVELOPE_OVERHEAD = 320;

export type QueuePusherOptions = {
  /** Reads the device's queue after a sequence number, oldest first. */
  pending(afterSeq: number, limit: number): Promise<QueuedEnvelope[]>;
  /** Sends one `envelopes` frame. */
  push(items: Envelope[]): void;
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

  constructor(private readonly options: QueuePusherOptions) {
    this.window = options.window ?? LIMITS.deliveryWindow;
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
      const room = this.window - this.unacked.size;
      if (room <= 0) return;
      const limit = Math.min(room, PAGE_SIZE);
      const page = await this.options.pending(this.cursor, limit);
      if (this.stopped) return;
      if (page.length > 0) {
        for (const queued of page) this.unacked.add(queued.envelope.id);
        this.cursor = page[page.length - 1]?.seq ?? this.cursor;
        this.pushInFrames(page.map((queued) => queued.envelope));
      }
      const sawEnd = page.length < limit;
      this.sawQueueEnd = sawEnd;
      if (!this.drainedSent && (sawEnd || this.cursor >= this.drainMark)) {
        this.drainedSent = true;
        this.options.drained();
      }
      if (sawEnd) return;
    }
  }

  /** Splits a page so no frame passes the frame size limit, whatever the envelope sizes. */
  private pushInFrames(envelopes: Envelope[]): void {
    let batch: Envelope[] = [];
    let size = 0;
    for (const envelope of envelopes) {
      const envelopeSize = envelope.body.length + ENVELOPE_OVERHEAD;
      if (batch.length > 0 && size + envelopeSize > FRAME_BUDGET) {
        this.options.push(batch);
        batch = [];
        size = 0;
      }
      batch.push(envelope);
      size += envelopeSize;
    }
    if (batch.length > 0) this.options.push(batch);
  }
}
