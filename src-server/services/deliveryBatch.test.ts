import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendFrame } from '../../src-shared/protocol/frames';
import { createInProcessBus } from '../bus/inProcessBus';
import { createJsonLinesLogger } from '../logger';
import type { Storage } from '../storage/storage';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { openTestStorage } from '../testing/testStorage';
import { createAccountsService } from './accounts';
import { createDeliveryService } from './delivery';
import { commitDeliveryBatch, type DeliveryWork } from './deliveryBatch';
import { envelopesByDevice } from './sendCoverage';

type Registered = { accountId: string; deviceId: number; registrationId: number };

describe.each(testBackends())('delivery batches on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let accounts: ReturnType<typeof createAccountsService>;
  const logger = createJsonLinesLogger({ write: () => undefined });
  const clock = { now: () => 1_800_000_000_000 };
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    accounts = createAccountsService({ storage, clock, logger, passwordHashing: { memoryCost: 256, timeCost: 1 } });
  });
  afterAll(() => dispose());

  let counter = 0;
  async function register(): Promise<Registered> {
    const keys = fakeDeviceKeys();
    const account = await accounts.register({ username: `batch_${++counter}_${backend.name}`, password: 'long enough password', device: keys });
    return { accountId: account.accountId, deviceId: 1, registrationId: keys.registrationId };
  }
  const frameTo = (to: Registered, idempotencyKey: string, overrides: Partial<SendFrame> = {}): SendFrame => ({
    type: 'send',
    requestId: 'r',
    idempotencyKey,
    to: to.accountId,
    timestamp: 1,
    envelopes: [{ accountId: to.accountId, deviceId: 1, registrationId: to.registrationId, ciphertextType: 2, body: btoa(idempotencyKey) }],
    ...overrides,
  });
  const sendWork = (sender: Registered, frame: SendFrame): DeliveryWork => ({ kind: 'send', sender, frame, given: envelopesByDevice(frame) });
  const bodiesFor = async (device: Registered) =>
    (await storage.envelopes.listAfter(device.accountId, device.deviceId, 0, 100)).map((queued) => atob(queued.envelope.body));

  it('judges each send as if alone, in order: refusals store nothing, repeats answer as the first, queues keep batch order', async () => {
    const alice = await register();
    const bob = await register();
    const carol = await register();
    const results = await storage.transaction((repositories) =>
      commitDeliveryBatch(repositories, clock, [
        sendWork(alice, frameTo(bob, 'one')),
        sendWork(alice, frameTo(bob, 'wrong-registration', { envelopes: [{ ...frameTo(bob, 'x').envelopes[0]!, registrationId: 0 }] })),
        sendWork(carol, frameTo(bob, 'two')),
        sendWork(alice, frameTo(bob, 'one')),
        sendWork(alice, frameTo({ ...bob, accountId: crypto.randomUUID() }, 'nobody')),
        sendWork(alice, frameTo(carol, 'missing-device', { envelopes: [] })),
        sendWork(alice, frameTo(bob, 'three')),
      ]),
    );
    expect(results).toEqual([
      { stored: true, serverTimestamp: 1_800_000_000_000, repeated: false, destinations: [`${bob.accountId}.1`] },
      { stored: false, refusal: expect.objectContaining({ code: 'stale_devices' }) },
      { stored: true, serverTimestamp: 1_800_000_000_000, repeated: false, destinations: [`${bob.accountId}.1`] },
      { stored: true, serverTimestamp: 1_800_000_000_000, repeated: true, destinations: [] },
      { stored: false, refusal: expect.objectContaining({ code: 'not_found' }) },
      {
        stored: false,
        refusal: expect.objectContaining({
          code: 'mismatched_devices',
          details: { missing: [{ accountId: carol.accountId, deviceId: 1 }], extra: [] },
        }),
      },
      { stored: true, serverTimestamp: 1_800_000_000_000, repeated: false, destinations: [`${bob.accountId}.1`] },
    ]);
    expect(await bodiesFor(bob)).toEqual(['one', 'two', 'three']);
    expect(await bodiesFor(carol)).toEqual([]);

    // A later batch finds the keys stored by this one, and a refused key is free to use.
    const [again, retried] = await storage.transaction((repositories) =>
      commitDeliveryBatch(repositories, clock, [sendWork(carol, frameTo(bob, 'two')), sendWork(alice, frameTo(bob, 'wrong-registration'))]),
    );
    expect(again).toMatchObject({ stored: true, repeated: true });
    expect(retried).toMatchObject({ stored: true, repeated: false });
    expect(await bodiesFor(bob)).toEqual(['one', 'two', 'three', 'wrong-registration']);
  });

  it("deletes acked envelopes from the acking device's queue only, beside sends in the same batch", async () => {
    const alice = await register();
    const bob = await register();
    await storage.transaction((repositories) =>
      commitDeliveryBatch(repositories, clock, [sendWork(alice, frameTo(bob, 'a')), sendWork(alice, frameTo(bob, 'b'))]),
    );
    const ids = (await storage.envelopes.listAfter(bob.accountId, 1, 0, 10)).map((queued) => queued.envelope.id);
    const results = await storage.transaction((repositories) =>
      commitDeliveryBatch(repositories, clock, [
        { kind: 'ack', device: alice, envelopeIds: ids },
        { kind: 'ack', device: bob, envelopeIds: [ids[0]!, 'unknown'] },
        sendWork(alice, frameTo(bob, 'c')),
      ]),
    );
    expect(results.slice(0, 2)).toEqual([{ deleted: 0 }, { deleted: 1 }]);
    expect(await bodiesFor(bob)).toEqual(['b', 'c']);
  });

  it('shares one transaction among concurrent sends, and retries each alone when the batch fails', async () => {
    const alice = await register();
    const bob = await register();
    const carol = await register();
    let transactions = 0;
    let failNext = false;
    const counting: Storage = {
      ...storage,
      transaction: (work) => {
        transactions++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('simulated deadlock'));
        }
        return storage.transaction(work);
      },
    };
    const delivery = createDeliveryService({ storage: counting, bus: createInProcessBus(logger), clock, logger });

    const together = await Promise.all([
      delivery.send(alice, frameTo(bob, 'together-1')),
      delivery.send(carol, frameTo(bob, 'together-2')),
      delivery.send(alice, frameTo(bob, 'together-3')),
    ]);
    expect(together.map((result) => result.outcome.ok)).toEqual([true, true, true]);
    expect(transactions).toBe(1);

    transactions = 0;
    failNext = true;
    const retried = await Promise.all([
      delivery.send(alice, frameTo(bob, 'retried-1')),
      delivery.send(carol, frameTo(bob, 'retried-2', { envelopes: [] })),
      delivery.send(carol, frameTo(bob, 'retried-3')),
    ]);
    expect(retried.map((result) => result.outcome)).toEqual([
      { ok: true, serverTimestamp: 1_800_000_000_000 },
      { ok: false, error: expect.objectContaining({ code: 'mismatched_devices' }) },
      { ok: true, serverTimestamp: 1_800_000_000_000 },
    ]);
    expect(transactions).toBe(4);
    expect(await bodiesFor(bob)).toEqual(['together-1', 'together-2', 'together-3', 'retried-1', 'retried-3']);
  });
});
