import { LIMITS } from '../../src-shared/domain/limits';

export class NotRegisteredError extends Error {
  constructor() {
    super('this profile is not registered yet: run register first');
    this.name = 'NotRegisteredError';
  }
}

export class MessageTooLongError extends Error {
  constructor() {
    super(`a message has at most ${LIMITS.textMaxLength} characters (fewer for unusual characters)`);
    this.name = 'MessageTooLongError';
  }
}

/** B3: I blocked them; unblock them to write to them again. */
export class RecipientBlockedError extends Error {
  constructor() {
    super('you blocked this person: unblock them to send a message');
    this.name = 'RecipientBlockedError';
  }
}
