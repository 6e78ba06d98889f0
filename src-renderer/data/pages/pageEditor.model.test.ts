import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageKey } from '../db';
import type { HistoryStore } from '../historyStore';
import type { MessageRecord } from '../records';
import { ALICE, BOB, CAROL, openTestStore } from '../testing/historyTesting';
import { seededRandom } from '../../testing/seededRandom';
import { T, DAVE, STATUSES, VOCABULARY, keyStringOf, makeMessage, expectConsistent, spyOnWrites, writeAndCheckRewrites } from '../testing/pageTesting';

describe('PageEditor, model-based', () => {
  let store: HistoryStore | undefined;
  afterEach(() => {
    store?.close();
    store = undefined;
    vi.restoreAllMocks();
  });

  const CONVERSATIONS = [BOB, CAROL, DAVE] as const;

  function generator(seed: number) {
    const random = seededRandom(seed);
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const pick = <Item,>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)]!;
    const usedIds = new Set<string>();
    const messageId = () => {
      for (;;) {
        const id = Array.from({ length: 8 }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[int(0, 35)]).join('');
        if (!usedIds.has(id)) {
          usedIds.add(id);
          return id;
        }
      }
    };
    const text = () => {
      const roll = random();
      if (roll < 0.02) return `overlong ${'lorem ipsum '.repeat(2_800)}`; // > PAGE_TEXT_CHARACTERS
      if (roll < 0.06) return `long ${'dolor sit amet '.repeat(int(300, 800))}`;
      return Array.from({ length: int(0, 6) }, () => pick(VOCABULARY)).join(' ');
    };
    return { random, int, pick, messageId, text };
  }

  /** A new message of a conversation, placed before, inside, after or tied with what it holds. */
  function newMessage(gen: ReturnType<typeof generator>, model: ReadonlyMap<string, MessageRecord>, conversationId: string): MessageRecord {
    const stored = [...model.values()].filter((message) => message.conversationId === conversationId);
    const times = stored.map((message) => message.sentAt);
    const min = times.length > 0 ? Math.min(...times) : T;
    const max = times.length > 0 ? Math.max(...times) : T;
    const where = gen.pick(['before', 'after', 'middle', 'middle', 'tie', 'tie'] as const);
    const sentAt =
      where === 'before' ? min - gen.int(1, 5) * 1_000
        : where === 'after' ? max + gen.int(0, 5) * 1_000
          : where === 'middle' ? gen.int(min, max)
            : times.length > 0 ? gen.pick(times) : T;
    return makeMessage(conversationId, gen.random() < 0.5 ? ALICE : conversationId, gen.messageId(), sentAt, gen.text());
  }

  function statusChanges(gen: ReturnType<typeof generator>, model: ReadonlyMap<string, MessageRecord>, count: number): MessageRecord[] {
    const mine = [...model.values()].filter((message) => message.senderAccountId === ALICE);
    const chosen = new Map<string, MessageRecord>();
    for (let index = 0; index < count && mine.length > 0; index += 1) {
      const message = gen.pick(mine);
      const status = gen.pick(STATUSES.filter((candidate) => candidate !== message.status));
      chosen.set(keyStringOf(message), { ...message, status, statusAt: T + gen.int(1, 1_000_000) });
    }
    return [...chosen.values()];
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('keeps every invariant through random writes (seed %i)', async (seed) => {
    const gen = generator(seed);
    store = await openTestStore({ label: `page-editor-model-${seed}` });
    const writes = spyOnWrites(store);
    const model = new Map<string, MessageRecord>();
    const absent: MessageKey[] = [[BOB, 'never-stored'], [ALICE, 'never-stored'], [CAROL, gen.messageId()]];

    const steps = 12;
    let wroteSomething = false;
    for (let step = 0; step < steps; step += 1) {
      // The first write fills pages; later ones add a few messages anywhere, and change statuses.
      const addCount = step === 0 ? gen.int(150, 320) : gen.pick([0, 1, 1, 2, 5, 12, 40, 120]);
      const conversations = step === 0 ? [BOB, CAROL] : CONVERSATIONS.filter(() => gen.random() < 0.6);
      const adds: MessageRecord[] = [];
      const pending = new Map(model);
      for (let index = 0; index < addCount && conversations.length > 0; index += 1) {
        const message = newMessage(gen, pending, gen.pick(conversations));
        pending.set(keyStringOf(message), message);
        adds.push(message);
      }
      const replaces = step === 0 ? [] : statusChanges(gen, model, gen.pick([0, 0, 1, 3, 10]));
      // In random order: add sorts by position itself.
      adds.sort(() => gen.random() - 0.5);
      const { put } = await writeAndCheckRewrites(store, writes, { adds, replaces, prepare: gen.random() < 0.7 });
      if (put.length > 0) wroteSomething = true;
      for (const message of [...adds, ...replaces]) model.set(keyStringOf(message), message);
      absent.push([ALICE, gen.messageId()], [gen.pick(CONVERSATIONS), gen.messageId()]);
      // A stored message id under another sender is another key.
      const someone = gen.pick([...model.values()]);
      absent.push([someone.senderAccountId === ALICE ? someone.conversationId : ALICE, someone.messageId]);
      await expectConsistent(store, model, absent);
    }
    // The spy saw the writes (it would see none if the editor wrote past it).
    expect(wroteSomething).toBe(true);
    expect(model.size).toBeGreaterThan(150);
  });
});
