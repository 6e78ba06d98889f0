import { describe, expect, it } from 'vitest';
import type { MessageStatus } from '../../src-shared/domain/messages';
import { advanceStatus } from './messageStatus';

const ALL: MessageStatus[] = ['pending', 'sent', 'delivered', 'read', 'failed'];
const PROGRESS: MessageStatus[] = ['pending', 'sent', 'delivered', 'read'];

describe('advanceStatus', () => {
  it('never moves backwards along pending → sent → delivered → read', () => {
    for (const current of PROGRESS) {
      for (const proposed of PROGRESS) {
        const expected = PROGRESS.indexOf(proposed) > PROGRESS.indexOf(current) ? proposed : current;
        expect(advanceStatus(current, proposed), `${current} + ${proposed}`).toBe(expected);
      }
    }
  });

  it('lets only a pending message fail', () => {
    expect(advanceStatus('pending', 'failed')).toBe('failed');
    for (const current of ['sent', 'delivered', 'read'] as const) expect(advanceStatus(current, 'failed')).toBe(current);
  });

  it('moves a failed message on when it is retried, sent after all, or a receipt proves it arrived', () => {
    for (const proposed of ALL) expect(advanceStatus('failed', proposed)).toBe(proposed);
  });

  it('gives the same answer whatever order the same updates arrive in, once read', () => {
    const updates: MessageStatus[] = ['sent', 'delivered', 'read'];
    const orders = [updates, [...updates].reverse(), ['read', 'sent', 'delivered'] as MessageStatus[]];
    for (const order of orders) expect(order.reduce(advanceStatus, 'pending')).toBe('read');
  });
});
