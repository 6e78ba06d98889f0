import { randomUUID } from 'node:crypto';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { Clock } from '../../../src-shared/domain/runtime';
import type { TextContent } from '../../../src-shared/protocol/content';
import { MessageTooLongError } from '../coreErrors';

/** Throws for an empty text, MessageTooLongError for one over the limit. */
export function checkText(text: string) {
  if (text.length === 0) throw new Error('a message needs some text');
  if (text.length > LIMITS.textMaxLength) throw new MessageTooLongError();
}

/**
 * New text messages. Histories order by (sentAt, sender, id): strictly rising times keep a fast
 * sender's messages (a script, `send --stdin`) in the order they were sent, not in random id order.
 */
export class NewTexts {
  /** The sentAt of this run's latest message: each next one is later, even within one millisecond. */
  private lastSentAt = 0;

  constructor(private readonly clock: Clock) {}

  next(text: string): TextContent {
    checkText(text);
    const sentAt = Math.max(this.clock.now(), this.lastSentAt + 1);
    this.lastSentAt = sentAt;
    return { kind: 'text', messageId: randomUUID(), sentAt, text };
  }
}
