import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendFrame } from '../../src-shared/protocol/frames';
import { createInProcessBus } from '../bus/inProcessBus';
import { createJsonLinesLogger } from '../logger';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { openTestStorage } from '../testing/testStorage';
import type { Storage } from '../storage/storage';
import { createAccountsService } from './accounts';
import { createDeliveryService, type DeliveryService } from './delivery';

/** The delivery service straight over storage, to race transactions against each other. */
describe.each(testBackends())('concurrent sends on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let delivery: DeliveryService;
  let accounts: ReturnType<typeof createAccountsService>;
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    const logger = createJsonLinesLogger({ write: () => undefined });
    const clock = { now: () => Date.now() };
    accounts = createAccountsService({ storage, clock, logger, passwordHashing: { memoryCost: 256, timeCost: 1 } });
    delivery = createDeliveryService({ storage, bus: createInProcessBus(logger), clock, logger });
  });
  afterAll(() => dispose());

  let counter = 0;
  async function register() {
    const keys = fakeDeviceKeys();
    const account = await accounts.register({ username: `racer_${++counter}_${backend.name}`, password: 'long enough password', device: keys });
    return { accountId: account.accountId, deviceId: 1, registrationId: keys.registrationId };
  }
  const frameTo = (to: Awaited<ReturnType<typeof register>>, idempotencyKey: string): SendFrame => ({
    type: 'send',
    requestId: 'r',
    idempotencyKey,
    to: to.accountId,
    timestamp: 1,
    envelopes: [{ accountId: to.accountId, deviceId: 1, registrationId: to.registrationId, ciphertextType: 2, body: 'AAAA' }],
  });

  it('stores one copy when the same idempotency key races itself', async () => {
    const alice = await register();
    const bob = await register();
    const results = await Promise.all(Array.from({ length: 8 }, () => delivery.send(alice, frameTo(bob, 'same-key'))));
    expect(results.every((result) => result.outcome.ok)).toBe(true);
    expect(new Set(results.map((result) => (result.outcome.ok ? result.outcome.serverTimestamp : 0))).size).toBe(1);
    expect(results.filter((result) => result.destinations.length > 0)).toHaveLength(1);
    expect(await storage.envelopes.countFor(bob.accountId, 1)).toBe(1);
  });

  it('never lets a reader with a cursor skip an envelope that commits late', async () => {
    const senders = await Promise.all(Array.from({ length: 6 }, () => register()));
    const bob = await register();
    const seen: string[] = [];
    let cursor = 0;
    const poll = async () => {
      const page = await delivery.pending(bob, cursor, 1_000);
      for (const queued of page) seen.push(queued.envelope.id);
      cursor = page.at(-1)?.seq ?? cursor;
    };
    let sending = true;
    const reader = (async () => {
      while (sending) {
        await poll();
        // Like a session's pusher, give the event loop a turn between reads: SQLite answers
        // synchronously, so a reader that never yields would starve the group commit (and
        // every socket) of the macrotask it waits for.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all(
      senders.map(async (sender, senderIndex) => {
        for (let index = 0; index < 15; index++) {
          const result = await delivery.send(sender, frameTo(bob, `k${senderIndex}-${index}`));
          expect(result.outcome.ok).toBe(true);
        }
      }),
    );
    sending = false;
    await reader;
    await poll();
    expect(seen).toHaveLength(90);
    expect(new Set(seen).size).toBe(90);
  });
});
