import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePositions } from '../chatRow';
import { keyString } from '../messageRecords';
import type { MessageRecord } from '../records';
import { expectClearFieldsOf } from '../testing/pageTesting';
import { chunkIntoPages, mergeInOrder, pageRecordOf, PAGE_MESSAGES, PAGE_TEXT_CHARACTERS } from './pageLayout';
import { filterMayContain } from './termFilter';

const T = 1_700_000_000_000;
const BOB = '00000000-0000-4000-8000-000000000b0b';
const ALICE = '00000000-0000-4000-8000-00000000a11c';

function message(index: number, fields: Partial<MessageRecord> = {}): MessageRecord {
  return {
    senderAccountId: index % 2 === 0 ? BOB : ALICE,
    messageId: `m${String(index).padStart(6, '0')}`,
    conversationId: BOB,
    direction: index % 2 === 0 ? 'in' : 'out',
    senderDeviceId: 1,
    text: `text ${index}`,
    sentAt: T + index * 1_000,
    serverReceivedAt: T + index * 1_000 + 50,
    status: index % 2 === 0 ? null : 'sent',
    statusAt: null,
    ...fields,
  };
}

/** Messages with the given text lengths, in display order. */
function messagesOfLengths(lengths: readonly number[]): MessageRecord[] {
  return lengths.map((length, index) => message(index, { text: 'x'.repeat(length) }));
}

const textOf = (page: readonly MessageRecord[]) => page.reduce((sum, stored) => sum + stored.text.length, 0);

/** Text lengths that reach both limits: mostly short, some long, now and then longer than a page allows. */
const lengthArbitrary = fc.oneof(
  { weight: 12, arbitrary: fc.nat({ max: 60 }) },
  { weight: 3, arbitrary: fc.integer({ min: 2_000, max: 12_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: PAGE_TEXT_CHARACTERS - 10, max: PAGE_TEXT_CHARACTERS + 5_000 }) },
);

/** A position arbitrary with many ties in sentAt and in sender. */
const positionArbitrary = fc.record({
  sentAt: fc.integer({ min: 0, max: 6 }),
  senderAccountId: fc.constantFrom(ALICE, BOB),
  messageId: fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom('a', 'b', 'c') }),
});

describe('chunkIntoPages', () => {
  it('makes no page of nothing', () => {
    expect(chunkIntoPages([])).toEqual([]);
  });

  it.each([
    { count: 1, pages: [1] },
    { count: PAGE_MESSAGES - 1, pages: [PAGE_MESSAGES - 1] },
    { count: PAGE_MESSAGES, pages: [PAGE_MESSAGES] },
    { count: PAGE_MESSAGES + 1, pages: [PAGE_MESSAGES, 1] },
    { count: 3 * PAGE_MESSAGES + 7, pages: [PAGE_MESSAGES, PAGE_MESSAGES, PAGE_MESSAGES, 7] },
  ])('splits $count short messages into pages of $pages', ({ count, pages }) => {
    const messages = Array.from({ length: count }, (_, index) => message(index));
    expect(chunkIntoPages(messages).map((page) => page.length)).toEqual(pages);
  });

  it.each([
    { label: 'text that exactly fills a page stays in one', lengths: [16_000, 16_000], pages: [2] },
    { label: 'one character more starts a new page', lengths: [16_000, 16_001], pages: [1, 1] },
    { label: 'a message of exactly a page of text fits alone', lengths: [PAGE_TEXT_CHARACTERS, 1], pages: [1, 1] },
    { label: 'an over-long message has a page of its own', lengths: [10, PAGE_TEXT_CHARACTERS + 1, 10], pages: [1, 1, 1] },
    { label: 'an over-long message first', lengths: [PAGE_TEXT_CHARACTERS * 3, 0, 0], pages: [1, 2] },
    { label: 'two over-long messages', lengths: [PAGE_TEXT_CHARACTERS + 1, PAGE_TEXT_CHARACTERS + 1], pages: [1, 1] },
    { label: 'empty texts count only as messages', lengths: Array.from({ length: 150 }, () => 0), pages: [100, 50] },
    { label: 'the text limit before the count', lengths: [...Array.from({ length: 50 }, () => 600), ...Array.from({ length: 60 }, () => 100)], pages: [70, 40] },
  ])('$label', ({ lengths, pages }) => {
    expect(chunkIntoPages(messagesOfLengths(lengths)).map((page) => page.length)).toEqual(pages);
  });

  it('keeps the messages, in order, and fills pages greedily within the limits', () => {
    fc.assert(
      fc.property(fc.array(lengthArbitrary, { maxLength: 400 }), (lengths) => {
        const messages = messagesOfLengths(lengths);
        const pages = chunkIntoPages(messages);
        // Concatenated, the pages are the input: the same objects in the same order.
        const flat = pages.flat();
        expect(flat.length).toBe(messages.length);
        flat.forEach((stored, index) => expect(stored).toBe(messages[index]));
        pages.forEach((page, index) => {
          expect(page.length).toBeGreaterThan(0);
          expect(page.length).toBeLessThanOrEqual(PAGE_MESSAGES);
          // Only a message alone may pass the text limit.
          if (page.length > 1) expect(textOf(page)).toBeLessThanOrEqual(PAGE_TEXT_CHARACTERS);
          // Greedy: the next page's first message would not have fitted.
          const next = pages[index + 1];
          if (next !== undefined) {
            const wouldFit = page.length < PAGE_MESSAGES && textOf(page) + next[0]!.text.length <= PAGE_TEXT_CHARACTERS;
            expect(wouldFit).toBe(false);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('does not change its input', () => {
    const messages = Array.from({ length: 250 }, (_, index) => message(index));
    const copy = [...messages];
    chunkIntoPages(messages);
    expect(messages).toEqual(copy);
  });
});

describe('mergeInOrder', () => {
  const asMessage = (position: { sentAt: number; senderAccountId: string; messageId: string }, label: string): MessageRecord =>
    message(0, { ...position, text: label });

  it.each([
    { label: 'both empty', stored: [], added: [], merged: [] },
    { label: 'nothing added', stored: [1, 3], added: [], merged: [1, 3] },
    { label: 'nothing stored', stored: [], added: [2, 4], merged: [2, 4] },
    { label: 'added before all', stored: [5, 6], added: [1, 2], merged: [1, 2, 5, 6] },
    { label: 'added after all', stored: [1, 2], added: [5, 6], merged: [1, 2, 5, 6] },
    { label: 'interleaved', stored: [1, 4, 6], added: [2, 3, 5, 7], merged: [1, 2, 3, 4, 5, 6, 7] },
  ])('merges in position order: $label', ({ stored, added, merged }) => {
    const of = (indexes: number[]) => indexes.map((index) => message(index));
    expect(mergeInOrder(of(stored), of(added)).map((stored) => stored.messageId)).toEqual(of(merged).map((stored) => stored.messageId));
  });

  it('orders ties in sentAt by sender, then message id', () => {
    const stored = [asMessage({ sentAt: T, senderAccountId: BOB, messageId: 'a' }, 's1'), asMessage({ sentAt: T, senderAccountId: BOB, messageId: 'c' }, 's2')];
    const added = [asMessage({ sentAt: T, senderAccountId: BOB, messageId: 'b' }, 'a1'), asMessage({ sentAt: T, senderAccountId: ALICE, messageId: '0' }, 'a2')];
    // BOB's account id ('…0b0b') sorts before ALICE's ('…a11c'), whatever the message ids.
    expect(mergeInOrder(stored, added).map((stored) => stored.text)).toEqual(['s1', 'a1', 's2', 'a2']);
  });

  it('puts a stored message before an added one at the same position (stable)', () => {
    const position = { sentAt: T, senderAccountId: BOB, messageId: 'same' };
    expect(mergeInOrder([asMessage(position, 'stored')], [asMessage(position, 'added')]).map((stored) => stored.text)).toEqual(['stored', 'added']);
  });

  it('keeps every message once, in position order, each list in its own order, stored first on a tie', () => {
    fc.assert(
      fc.property(fc.array(positionArbitrary, { maxLength: 60 }), fc.array(positionArbitrary, { maxLength: 60 }), (a, b) => {
        const stored = a.map((position, index) => asMessage(position, `s${index}`)).sort(comparePositions);
        const added = b.map((position, index) => asMessage(position, `a${index}`)).sort(comparePositions);
        const merged = mergeInOrder(stored, added);
        expect(merged.length).toBe(stored.length + added.length);
        expect(new Set(merged)).toEqual(new Set([...stored, ...added]));
        for (let index = 1; index < merged.length; index += 1) {
          const order = comparePositions(merged[index - 1]!, merged[index]!);
          expect(order).toBeLessThanOrEqual(0);
          // On a tie, a stored message never follows an added one.
          if (order === 0) expect(stored.includes(merged[index]!) && added.includes(merged[index - 1]!)).toBe(false);
        }
        expect(merged.filter((item) => stored.includes(item))).toEqual(stored);
        expect(merged.filter((item) => added.includes(item))).toEqual(added);
      }),
      { numRuns: 300 },
    );
  });

  it('does not change its inputs', () => {
    const stored = [message(1), message(3)];
    const added = [message(2)];
    mergeInOrder(stored, added);
    expect(stored.map((item) => item.messageId)).toEqual(['m000001', 'm000003']);
    expect(added.map((item) => item.messageId)).toEqual(['m000002']);
  });
});

describe('pageRecordOf', () => {
  const termsOf = (stored: MessageRecord) => stored.text.split(' ').map((word) => `term:${word}`);

  it('throws on an empty page', () => {
    expect(() => pageRecordOf('page-1', [], termsOf)).toThrow(RangeError);
    expect(() => pageRecordOf('page-1', [], termsOf)).toThrow('A page holds at least one message');
  });

  it('takes its clear fields from its first and last messages', () => {
    const messages = [
      message(4, { senderAccountId: ALICE, messageId: 'first', text: 'hello there' }),
      message(5, { text: 'general kenobi' }),
      message(9, { senderAccountId: BOB, messageId: 'last', text: 'bold one' }),
    ];
    const record = pageRecordOf('page-1', messages, termsOf);
    expect(record).toMatchObject({
      pageId: 'page-1',
      conversationId: BOB,
      firstSentAt: T + 4_000,
      firstSenderAccountId: ALICE,
      firstMessageId: 'first',
      lastSentAt: T + 9_000,
      messageCount: 3,
      messageKeys: [keyString([ALICE, 'first']), keyString([messages[1]!.senderAccountId, messages[1]!.messageId]), keyString([BOB, 'last'])],
    });
    expect(record.messages).toEqual(messages);
    // A copy: the caller's list can change without changing the record.
    expect(record.messages).not.toBe(messages);
    for (const term of ['hello', 'there', 'general', 'kenobi', 'bold', 'one']) expect(filterMayContain(record.termFilter, `term:${term}`)).toBe(true);
  });

  it('of one message: first and last are the same', () => {
    const only = message(7);
    const record = pageRecordOf('p', [only], termsOf);
    expect(record.firstSentAt).toBe(only.sentAt);
    expect(record.lastSentAt).toBe(only.sentAt);
    expect(record.messageCount).toBe(1);
    expect(record.messageKeys).toEqual([keyString([only.senderAccountId, only.messageId])]);
  });

  it('agrees with its messages for any page, and its filter holds every term', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ position: positionArbitrary, words: fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }) }), { minLength: 1, maxLength: PAGE_MESSAGES }),
        (items) => {
          const messages = items
            .map(({ position, words }) => message(0, { ...position, text: words.join(' ') }))
            .sort(comparePositions);
          const record = pageRecordOf('page', messages, termsOf);
          expectClearFieldsOf(record, messages);
          for (const stored of messages) for (const term of termsOf(stored)) expect(filterMayContain(record.termFilter, term)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('builds its filter from the terms of its messages only', () => {
    const record = pageRecordOf('p', [message(1, { text: 'alpha' })], termsOf);
    const absent = Array.from({ length: 500 }, (_, index) => `term:absent${index}`);
    // An empty-ish 256-bit filter with 7 bits set: almost every absent term is ruled out.
    expect(absent.filter((term) => filterMayContain(record.termFilter, term)).length).toBeLessThan(10);
  });
});
