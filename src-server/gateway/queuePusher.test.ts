import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-shared/domain/limits';
import type { Envelope } from '../../src-shared/protocol/frames';
import type { QueuedEnvelope } from '../storage/envelopesRepository';
import { QueuePusher } from './queuePusher';

/** A queue in memory, standing in for the envelopes table. */
function memoryQueue() {
  const rows: QueuedEnvelope[] = [];
  let seq = 0;
  return {
    rows,
    add(count: number, bodyBytes = 8) {
      for (let index = 0; index < count; index++) {
        seq++;
        rows.push({
          seq,
          envelope: {
            id: `e${seq}`,
            sourceAccountId: '00000000-0000-4000-8000-000000000000',
            sourceDeviceId: 1,
            ciphertextType: 2,
            body: 'A'.repeat(bodyBytes),
            serverTimestamp: seq,
            clientTimestamp: seq,
          },
        });
      }
    },
    lastSeq: () => seq,
    reads: 0,
    async pending(afterSeq: number, limit: number) {
      this.reads++;
      await Promise.resolve();
      return rows.filter((row) => row.seq > afterSeq).slice(0, limit);
    },
  };
}

function recordingPusher(queue: ReturnType<typeof memoryQueue>, window?: number) {
  const events: Array<{ type: 'envelopes'; items: Envelope[] } | { type: 'drained' }> = [];
  const pusher = new QueuePusher({
    pending: (afterSeq, limit) => queue.pending(afterSeq, limit),
    push: (items, flushed) => {
      events.push({ type: 'envelopes', items });
      flushed();
    },
    drained: () => events.push({ type: 'drained' }),
    window,
  });
  const pushedIds = () => events.flatMap((event) => (event.type === 'envelopes' ? event.items.map((item) => item.id) : []));
  return { pusher, events, pushedIds };
}

describe('QueuePusher', () => {
  it('pushes in order up to the window, then more as acks come in', async () => {
    const queue = memoryQueue();
    queue.add(25);
    const { pusher, events, pushedIds } = recordingPusher(queue, 10);
    await pusher.start(queue.lastSeq());
    expect(pushedIds()).toEqual(Array.from({ length: 10 }, (_, index) => `e${index + 1}`));
    expect(events.some((event) => event.type === 'drained')).toBe(false);

    await pusher.acked(pushedIds().slice(0, 4));
    expect(pushedIds()).toHaveLength(14);
    await pusher.acked(pushedIds());
    await pusher.acked(pushedIds());
    expect(pushedIds()).toEqual(Array.from({ length: 25 }, (_, index) => `e${index + 1}`));
    expect(events.at(-1)).toEqual({ type: 'drained' });
  });

  it('says drained once, right after the last envelope queued at start, even with later mail', async () => {
    const queue = memoryQueue();
    queue.add(3);
    const { pusher, events } = recordingPusher(queue);
    const start = pusher.start(queue.lastSeq());
    queue.add(2);
    await start;
    await pusher.wake();
    queue.add(1);
    await pusher.wake();
    expect(events.filter((event) => event.type === 'drained')).toHaveLength(1);
  });

  it('says drained at once for an empty queue', async () => {
    const queue = memoryQueue();
    const { pusher, events } = recordingPusher(queue);
    await pusher.start(0);
    expect(events).toEqual([{ type: 'drained' }]);
  });

  it('never pushes an envelope twice, however many wake-ups overlap', async () => {
    const queue = memoryQueue();
    const { pusher, pushedIds } = recordingPusher(queue, 1_000);
    await pusher.start(0);
    const wakes: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      queue.add(7);
      wakes.push(pusher.wake(), pusher.wake());
    }
    await Promise.all(wakes);
    await pusher.wake();
    const ids = pushedIds();
    expect(ids).toHaveLength(140);
    expect(new Set(ids).size).toBe(140);
    expect(ids).toEqual(queue.rows.map((row) => row.envelope.id));
  });

  it('keeps every frame under the frame limit when envelopes are large', async () => {
    const queue = memoryQueue();
    queue.add(40, 256 * 1024 * 1.34);
    const { pusher, events } = recordingPusher(queue);
    await pusher.start(queue.lastSeq());
    const frames = events.filter((event) => event.type === 'envelopes');
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) expect(JSON.stringify(frame).length).toBeLessThan(LIMITS.frameMaxBytes);
    expect(frames.flatMap((frame) => frame.items)).toHaveLength(40);
  });

  it('reads once for the wake-ups of one turn, and again on an ack only when the window was full', async () => {
    const queue = memoryQueue();
    queue.add(3);
    const { pusher, pushedIds } = recordingPusher(queue, 5);
    await pusher.start(queue.lastSeq());
    const readsAtStart = queue.reads;
    queue.add(4);
    await Promise.all(Array.from({ length: 10 }, () => pusher.wake()));
    expect(queue.reads).toBe(readsAtStart + 1);
    expect(pushedIds()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);

    // The window is full: an ack lets the rest out.
    await pusher.acked(['e1', 'e2']);
    expect(pushedIds()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    await pusher.acked(['e3', 'e4', 'e5', 'e6', 'e7']);
    // The queue's end was seen: acks alone read nothing, new mail is read on its wake-up.
    const readsAtEnd = queue.reads;
    await pusher.acked(['e7', 'unknown']);
    expect(queue.reads).toBe(readsAtEnd);
    queue.add(1);
    await pusher.wake();
    expect(pushedIds()).toHaveLength(8);
  });

  it('pushes nothing after stop', async () => {
    const queue = memoryQueue();
    const { pusher, pushedIds } = recordingPusher(queue);
    await pusher.start(0);
    await pusher.stop();
    queue.add(3);
    await pusher.wake();
    expect(pushedIds()).toEqual([]);
  });

  it('pauses while pushed frames wait in the socket, and goes on when they are flushed', async () => {
    const queue = memoryQueue();
    queue.add(40, 100_000);
    const frames: Array<{ items: Envelope[]; flushed: () => void }> = [];
    const pusher = new QueuePusher({
      pending: (afterSeq, limit) => queue.pending(afterSeq, limit),
      push: (items, flushed) => frames.push({ items, flushed }),
      drained: () => undefined,
      maxUnflushedBytes: 250_000,
    });
    await pusher.start(queue.lastSeq());
    // Frames of about 1 MiB each: the first one passes the mark, and nothing more goes out.
    const pushedBeforeFlush = frames.flatMap((frame) => frame.items).length;
    expect(pushedBeforeFlush).toBeLessThan(40);
    expect(pusher.unflushed).toBeGreaterThan(250_000);
    await pusher.wake();
    expect(frames.flatMap((frame) => frame.items)).toHaveLength(pushedBeforeFlush);
    // The client reads: each flush lets the next frame out, until the queue is through.
    for (let index = 0; index < frames.length; index++) {
      frames[index]!.flushed();
      await pusher.wake();
    }
    expect(frames.flatMap((frame) => frame.items).map((item) => item.id)).toEqual(Array.from({ length: 40 }, (_, index) => `e${index + 1}`));
    expect(pusher.unflushed).toBe(0);
  });
});
