import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abuseLimitsWith, DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../../abuseLimits';
import { createJsonLinesLogger } from '../../logger';
import type { Storage } from '../../storage/storage';
import { testBackends } from '../../testing/backends';
import { fakeDeviceKeys } from '../../testing/fakeKeys';
import { openTestStorage } from '../../testing/testStorage';
import { createAccountsService } from '../accounts';
import { ServiceError } from '../serviceError';
import { PasswordHashGate } from './passwordHashGate';

const PASSWORD = 'the right password';
const CHEAP_HASHING = { memoryCost: 256, timeCost: 1 };

/** A clock the test moves by hand. */
function manualClock(time: number) {
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

/** The error code a call ends with ('ok' if it succeeds), and its Retry-After. */
async function outcome(call: Promise<unknown>): Promise<{ code: string; retryAfterSeconds?: number }> {
  try {
    await call;
    return { code: 'ok' };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { code: error.code, ...(error.details.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.details.retryAfterSeconds }) };
  }
}

/** Counts the tasks that started between a sign-in's entering the line and its own start. */
class ObservedGate extends PasswordHashGate {
  readonly startedAheadOfSignIns: number[] = [];

  override signIn<T>(work: () => Promise<T>): Promise<T> {
    const queuedAt = this.semaphore.started;
    return super.signIn(() => {
      this.startedAheadOfSignIns.push(this.semaphore.started - 1 - queuedAt);
      return work();
    });
  }
}

describe.each(testBackends())('password abuse limits on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  const logger = createJsonLinesLogger({ write: () => undefined });
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
  });
  afterAll(() => dispose());

  let counter = 0;
  const uniqueName = () => `abuse_${++counter}_${backend.name}`;

  function accountsWith(limits: AbuseLimits = DEFAULT_ABUSE_LIMITS) {
    const clock = manualClock(1_800_000_000_000);
    const gate = new ObservedGate(limits);
    const accounts = createAccountsService({ storage, clock, logger, passwordHashing: CHEAP_HASHING, limits, passwordHashGate: gate });
    const register = (username = uniqueName()) => accounts.register({ username, password: PASSWORD, device: fakeDeviceKeys() });
    return { accounts, clock, gate, register };
  }

  it('backs off after repeated wrong passwords, refuses even the right one unhashed, and lets it in once the wait passes', async () => {
    const { accounts, clock, gate, register } = accountsWith();
    const { username } = await register();

    const answers = [];
    for (let attempt = 0; attempt < 50; attempt++) answers.push(await outcome(accounts.verifyPassword(username, `wrong ${attempt}`)));
    const allowed = DEFAULT_ABUSE_LIMITS.passwordFailuresBeforeBackoff;
    expect(answers.slice(0, allowed)).toEqual(Array.from({ length: allowed }, () => ({ code: 'unauthorized' })));
    const waitSeconds = DEFAULT_ABUSE_LIMITS.passwordBackoffBaseMs / 1_000;
    expect(answers.slice(allowed)).toEqual(Array.from({ length: 50 - allowed }, () => ({ code: 'rate_limited', retryAfterSeconds: waitSeconds })));
    // Only the admitted guesses were hashed (the first verify also hashes nothing extra: the account exists).
    expect(gate.semaphore.started).toBe(1 + allowed);

    expect(await outcome(accounts.verifyPassword(username, PASSWORD))).toEqual({ code: 'rate_limited', retryAfterSeconds: waitSeconds });
    expect(gate.semaphore.started).toBe(1 + allowed);

    clock.advance(waitSeconds * 1_000);
    expect((await accounts.verifyPassword(username, PASSWORD)).username).toBe(username);
    // The success forgave the failures: a wrong password is an ordinary refusal again.
    expect(await outcome(accounts.verifyPassword(username, 'wrong again'))).toEqual({ code: 'unauthorized' });
  });

  it("keeps a stranger's guesses from locking the owner out, until ten times as many come from everywhere", async () => {
    const { accounts, register } = accountsWith();
    const { username } = await register();
    const allowed = DEFAULT_ABUSE_LIMITS.passwordFailuresBeforeBackoff;
    for (let attempt = 0; attempt <= allowed; attempt++) await outcome(accounts.verifyPassword(username, 'a guess', 'stranger'));
    expect(await outcome(accounts.verifyPassword(username, 'a guess', 'stranger'))).toMatchObject({ code: 'rate_limited' });
    // The owner, from elsewhere, is not held back by the stranger's failures.
    expect(await outcome(accounts.verifyPassword(username, PASSWORD, 'owner'))).toEqual({ code: 'ok' });

    // Guesses spread over many sources: after ten times the allowance the name is held everywhere.
    for (let source = 0; source < allowed * 10; source++) await outcome(accounts.verifyPassword(username, 'a guess', `botnet ${source}`));
    expect(await outcome(accounts.verifyPassword(username, PASSWORD, 'owner'))).toMatchObject({ code: 'rate_limited' });
  });

  it('answers a name that does not exist exactly as one that does', async () => {
    const { accounts, register } = accountsWith();
    const { username } = await register();
    const guesses = async (name: string) => {
      const answers = [];
      for (let attempt = 0; attempt < 10; attempt++) answers.push(await outcome(accounts.verifyPassword(name, `wrong ${attempt}`)));
      return answers;
    };
    expect(await guesses(uniqueName())).toEqual(await guesses(username));
  });

  it('lets a sign-in through ahead of a flood of waiting registrations', async () => {
    const limits = abuseLimitsWith({ passwordHashQueueMax: 200, registrationsPerMinute: 1_000 });
    const { accounts, gate, register } = accountsWith(limits);
    const { username } = await register();

    // Both hash slots taken, so the flood is all in line before the sign-in arrives.
    const release: (() => void)[] = [];
    const blockers = Array.from({ length: limits.passwordHashConcurrency }, () =>
      gate.registration(() => new Promise<void>((resolve) => release.push(resolve))),
    );
    const finished: string[] = [];
    const flood = Array.from({ length: 100 }, () => register().then(() => void finished.push('registration')));
    await expect.poll(() => gate.semaphore.waiting('low'), { timeout: 10_000 }).toBe(100);

    const signIn = accounts.verifyPassword(username, PASSWORD).then(() => void finished.push('sign-in'));
    await expect.poll(() => gate.semaphore.waiting('high')).toBe(1);
    for (const resolve of release) resolve();
    await Promise.all([...blockers, signIn, ...flood]);

    // No hash started between the sign-in's entering the line and its own start: it waited only
    // for the hashes already running (at most passwordHashConcurrency).
    expect(gate.startedAheadOfSignIns).toEqual([0]);
    expect(finished.indexOf('sign-in')).toBeLessThanOrEqual(limits.passwordHashConcurrency);
    expect(finished).toHaveLength(101);
  });

  it('refuses registrations at once past the waiting line, and past the registrations a minute', async () => {
    const limits = abuseLimitsWith({ passwordHashConcurrency: 1, passwordHashQueueMax: 2, registrationsPerMinute: 5 });
    const { clock, gate, register } = accountsWith(limits);
    let release!: () => void;
    const blocker = gate.registration(() => new Promise<void>((resolve) => (release = resolve)));
    const waiting = [register(), register()];
    await expect.poll(() => gate.semaphore.waiting('low')).toBe(2);
    expect(await outcome(register())).toEqual({ code: 'rate_limited', retryAfterSeconds: 1 });
    release();
    await Promise.all([blocker, ...waiting]);

    // Three counted so far (the refused one too: it was counted before the line was full).
    expect((await Promise.all([outcome(register()), outcome(register())])).map((answer) => answer.code)).toEqual(['ok', 'ok']);
    expect(await outcome(register())).toEqual({ code: 'rate_limited', retryAfterSeconds: 60 });
    clock.advance(60_000);
    expect((await outcome(register())).code).toBe('ok');
  });
});
