import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendFrame } from '../../src-shared/protocol/frames';
import { createInProcessBus } from '../bus/inProcessBus';
import { createJsonLinesLogger } from '../logger';
import type { Storage } from '../storage/storage';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { manualClock } from '../testing/testServer';
import { openTestStorage } from '../testing/testStorage';
import { createAccountsService } from './accounts';
import { createDeliveryService, type DeliveryService } from './delivery';
import { QUOTA_RETRY_AFTER_SECONDS } from './deliveryBatch';

type Device = { accountId: string; deviceId: number; registrationId: number };

const CAP = 1_000;

describe.each(testBackends())('queued-bytes quota on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let delivery: DeliveryService;
  let accounts: ReturnType<typeof createAccountsService>;
  const clock = manualClock(Date.UTC(2030, 0, 1));
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    const logger = createJsonLinesLogger({ write: () => undefined });
    accounts = createAccountsService({ storage, clock, logger, passwordHashing: { memoryCost: 256, timeCost: 1 } });
    delivery = createDeliveryService({ storage, bus: createInProcessBus(logger), clock, logger, limits: { queuedBytesPerDevice: CAP } });
  });
  afterAll(() => dispose());

  let counter = 0;
  async function register(): Promise<Device> {
    const keys = fakeDeviceKeys();
    const account = await accounts.register({ username: `quota_${++counter}_${backend.name}`, password: 'long enough password', device: keys });
    return { accountId: account.accountId, deviceId: 1, registrationId: keys.registrationId };
  }
  /** A second device, straight into storage: the quota does not care how it was linked. */
  async function secondDevice(first: Device): Promise<Device> {
    const registrationId = 4_242;
    await storage.devices.insert({
      accountId: first.accountId,
      deviceId: 2,
      name: 'second',
      registrationId,
      secretHash: 'x',
      signedPreKey: { keyId: 1, publicKey: 'AAAA', signature: 'AAAA' },
      kyberLastResortPreKey: { keyId: 1, publicKey: 'AAAA', signature: 'AAAA' },
      day: 1,
    });
    return { accountId: first.accountId, deviceId: 2, registrationId };
  }
  /** One send to every device in `devices`, each envelope `bytes` of ciphertext. */
  const frameTo = (devices: Device[], bytes: number, overrides: Partial<SendFrame> = {}): SendFrame => ({
    type: 'send',
    requestId: 'r',
    idempotencyKey: randomBytes(8).toString('hex'),
    to: devices[0]!.accountId,
    timestamp: 1,
    envelopes: devices.map((device) => ({
      accountId: device.accountId,
      deviceId: device.deviceId,
      registrationId: device.registrationId,
      ciphertextType: 2,
      body: randomBytes(bytes).toString('base64'),
    })),
    ...overrides,
  });
  const codeOf = (result: Awaited<ReturnType<DeliveryService['send']>>) => (result.outcome.ok ? 'ok' : result.outcome.error.code);

  it('refuses a send past the cap of an offline device with quota_exceeded, stores nothing, and takes sends again after the device acks', async () => {
    const alice = await register();
    const bob = await register();
    const carol = await register();
    for (let index = 0; index < 3; index++) expect(codeOf(await delivery.send(alice, frameTo([bob], 300)))).toBe('ok');
    expect(codeOf(await delivery.send(carol, frameTo([bob], 100)))).toBe('ok'); // exactly at the cap: allowed

    const refused = await delivery.send(alice, frameTo([bob], 1));
    expect(refused).toEqual({
      outcome: {
        ok: false,
        error: { code: 'quota_exceeded', message: expect.stringMatching(/bytes queued/), retryAfterSeconds: QUOTA_RETRY_AFTER_SECONDS },
      },
      destinations: [],
      pushes: [],
    });
    // Whoever sends: the cap is the device's.
    expect(codeOf(await delivery.send(carol, frameTo([bob], 50)))).toBe('quota_exceeded');
    expect(await storage.envelopes.countFor(bob.accountId, 1)).toBe(4);
    expect(await storage.envelopes.queuedBytes(bob.accountId, 1)).toBe(CAP);

    // Other recipients are unaffected, and online-only envelopes are never counted.
    expect(codeOf(await delivery.send(alice, frameTo([carol], 900)))).toBe('ok');
    expect(codeOf(await delivery.send(alice, frameTo([bob], 500, { onlineOnly: true })))).toBe('ok');
    expect(await storage.envelopes.queuedBytes(bob.accountId, 1)).toBe(CAP);

    const queued = await delivery.pending(bob, 0, 10);
    expect(await delivery.ack(bob, queued.slice(0, 2).map((item) => item.envelope.id))).toBe(2);
    expect(await storage.envelopes.queuedBytes(bob.accountId, 1)).toBe(400);
    expect(codeOf(await delivery.send(alice, frameTo([bob], 600)))).toBe('ok');
    expect(codeOf(await delivery.send(alice, frameTo([bob], 1)))).toBe('quota_exceeded');
    expect(await storage.envelopes.queuedBytes(bob.accountId, 1)).toBe(CAP);
  });

  it('refuses the whole send when one device of several is full, the sender’s own devices included', async () => {
    const alice = await register();
    const bob = await register();
    const bobTwo = await secondDevice(bob);
    expect(codeOf(await delivery.send(alice, frameTo([bob, bobTwo], 800)))).toBe('ok');
    const ids = (await delivery.pending(bobTwo, 0, 10)).map((item) => item.envelope.id);
    await delivery.ack(bobTwo, ids);

    expect(codeOf(await delivery.send(alice, frameTo([bob, bobTwo], 300)))).toBe('quota_exceeded');
    expect(await storage.envelopes.countFor(bobTwo.accountId, 2)).toBe(0);
    expect(await storage.envelopes.queuedBytes(bobTwo.accountId, 2)).toBe(0);

    // Bob's second device, offline, fills up with copies of what his first device sends.
    const carol = await register();
    const fromBob = (bytes: number) => frameTo([carol], bytes, { envelopes: [...frameTo([carol, bobTwo], bytes).envelopes] });
    expect(codeOf(await delivery.send(bob, fromBob(900)))).toBe('ok');
    expect(codeOf(await delivery.send(bob, fromBob(200)))).toBe('quota_exceeded');
    expect(await storage.envelopes.countFor(carol.accountId, 1)).toBe(1);
  });

  it('counts sends that share one group commit together, and acks in it before them', async () => {
    const alice = await register();
    const carol = await register();
    const bob = await register();
    const together = await Promise.all([
      delivery.send(alice, frameTo([bob], 400)),
      delivery.send(carol, frameTo([bob], 400)),
      delivery.send(alice, frameTo([bob], 400)),
      delivery.send(carol, frameTo([bob], 200)),
    ]);
    expect(together.map(codeOf)).toEqual(['ok', 'ok', 'quota_exceeded', 'ok']);
    expect(await storage.envelopes.queuedBytes(bob.accountId, 1)).toBe(CAP);

    const [first] = await delivery.pending(bob, 0, 1);
    const [acked, ...sends] = await Promise.all([
      delivery.ack(bob, [first!.envelope.id]),
      delivery.send(alice, frameTo([bob], 400)),
      delivery.send(alice, frameTo([bob], 1)),
    ]);
    expect(acked).toBe(1);
    expect(sends.map(codeOf)).toEqual(['ok', 'quota_exceeded']);
    expect(await storage.envelopes.queuedBytes(bob.accountId, 1)).toBe(CAP);
  });
});
