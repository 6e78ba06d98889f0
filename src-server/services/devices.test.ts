import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendFrame } from '../../src-shared/protocol/frames';
import type { DeviceKeys } from '../../src-shared/protocol/keys';
import type { BusSignal } from '../bus/bus';
import { createInProcessBus } from '../bus/inProcessBus';
import { createJsonLinesLogger } from '../logger';
import type { Storage } from '../storage/storage';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { openTestStorage } from '../testing/testStorage';
import { createAccountsService } from './accounts';
import { createDeliveryService } from './delivery';
import { createDeviceAuth } from './deviceAuth';
import { createDevicesService, type DeviceRemovalActor } from './devices';

describe.each(testBackends())('removing devices on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  const logger = createJsonLinesLogger({ write: () => undefined });
  const clock = { now: () => 1_800_000_000_000 };
  const bus = createInProcessBus(logger);
  let accounts: ReturnType<typeof createAccountsService>;
  let devices: ReturnType<typeof createDevicesService>;
  let delivery: ReturnType<typeof createDeliveryService>;
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    accounts = createAccountsService({ storage, clock, logger, passwordHashing: { memoryCost: 256, timeCost: 1 } });
    devices = createDevicesService({ storage, bus, logger });
    delivery = createDeliveryService({ storage, bus, clock, logger });
  });
  afterAll(async () => {
    await bus.close();
    await dispose();
  });

  let counter = 0;
  /** An account with `count` devices; each device's keys, by device id. */
  async function account(count: number) {
    const username = `remove_${++counter}_${backend.name}`;
    const first = fakeDeviceKeys();
    const { accountId } = await accounts.register({ username, password: 'long enough password', device: first });
    const keys = new Map<number, DeviceKeys>([[1, first]]);
    const record = (await storage.accounts.findById(accountId))!;
    for (let added = 1; added < count; added++) {
      const more = fakeDeviceKeys({ identityKey: first.identityKey });
      keys.set((await accounts.addDevice(record, more)).deviceId, more);
    }
    const actor = (deviceId: number): DeviceRemovalActor => ({ kind: 'device', device: { accountId, deviceId } });
    return { accountId, record, keys, actor };
  }

  const sendFrame = (to: string, envelopes: SendFrame['envelopes']): SendFrame => ({
    type: 'send',
    requestId: 'r',
    idempotencyKey: randomBytes(9).toString('base64url'),
    to,
    timestamp: 1,
    envelopes,
  });

  it('takes the device, its credentials, prekeys, queue and send records, and tells its sockets', async () => {
    const alice = await account(1);
    const bob = await account(3);
    const auth = createDeviceAuth(storage);
    const heard: BusSignal[] = [];
    const unsubscribe = bus.subscribe(`${bob.accountId}.2`, (signal) => heard.push(signal));
    const bobEnvelope = (deviceId: number) => ({
      accountId: bob.accountId,
      deviceId,
      registrationId: bob.keys.get(deviceId)!.registrationId,
      ciphertextType: 2 as const,
      body: randomBytes(16).toString('base64'),
    });
    // Mail waiting for device 2, and a send device 2 made itself (an idempotency record).
    const toBob = await delivery.send({ accountId: alice.accountId, deviceId: 1 }, sendFrame(bob.accountId, [1, 2, 3].map(bobEnvelope)));
    expect(toBob.outcome.ok).toBe(true);
    const bobTwoFrame = sendFrame(alice.accountId, [
      { accountId: alice.accountId, deviceId: 1, registrationId: alice.keys.get(1)!.registrationId, ciphertextType: 2, body: 'AAAA' },
      bobEnvelope(1),
      bobEnvelope(3),
    ]);
    expect((await delivery.send({ accountId: bob.accountId, deviceId: 2 }, bobTwoFrame)).outcome.ok).toBe(true);
    expect(await storage.sends.find(bob.accountId, 2, bobTwoFrame.idempotencyKey)).toBeDefined();
    expect(await storage.envelopes.countFor(bob.accountId, 2)).toBe(1);
    const credentials = { accountId: bob.accountId, deviceId: 2, secret: bob.keys.get(2)!.secret };
    await expect(auth.authenticate(credentials)).resolves.toEqual({ accountId: bob.accountId, deviceId: 2 });

    await devices.removeDevice(bob.actor(1), 2);

    await expect(auth.authenticate(credentials)).rejects.toMatchObject({ code: 'session_ended' });
    await expect(auth.authenticate({ accountId: bob.accountId, deviceId: 1, secret: bob.keys.get(1)!.secret })).resolves.toBeDefined();
    expect(await storage.devices.listIds(bob.accountId)).toEqual([1, 3]);
    expect(await storage.envelopes.countFor(bob.accountId, 2)).toBe(0);
    expect(await storage.envelopes.countFor(bob.accountId, 1)).toBe(2);
    expect(await storage.preKeys.count(bob.accountId, 2)).toEqual({ preKeys: 0, kyberPreKeys: 0 });
    expect(await storage.sends.find(bob.accountId, 2, bobTwoFrame.idempotencyKey)).toBeUndefined();
    expect(heard).toEqual([{ kind: 'device_removed' }]);
    unsubscribe();

    // A sender that still names the removed device learns of it as `extra`, and a send to the
    // remaining devices goes through.
    const stale = await delivery.send({ accountId: alice.accountId, deviceId: 1 }, sendFrame(bob.accountId, [1, 2, 3].map(bobEnvelope)));
    expect(stale.outcome).toMatchObject({
      ok: false,
      error: { code: 'mismatched_devices', missing: [], extra: [{ accountId: bob.accountId, deviceId: 2 }] },
    });
    const fresh = await delivery.send({ accountId: alice.accountId, deviceId: 1 }, sendFrame(bob.accountId, [1, 3].map(bobEnvelope)));
    expect(fresh.outcome.ok).toBe(true);
  });

  it('lets a device remove itself, and the password holder remove any device', async () => {
    const bob = await account(3);
    await devices.removeDevice(bob.actor(3), 3);
    await devices.removeDevice({ kind: 'password', account: bob.record }, 1);
    expect(await storage.devices.listIds(bob.accountId)).toEqual([2]);
  });

  it("refuses to remove the account's last device, a device it does not have, or another account's device", async () => {
    const bob = await account(2);
    const carol = await account(2);
    await devices.removeDevice(bob.actor(2), 1);
    await expect(devices.removeDevice(bob.actor(2), 2)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(devices.removeDevice({ kind: 'password', account: bob.record }, 2)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(devices.removeDevice(bob.actor(2), 1)).rejects.toMatchObject({ code: 'not_found' });
    await expect(devices.removeDevice(bob.actor(2), 9)).rejects.toMatchObject({ code: 'not_found' });
    // Device ids are per account: bob's device 2 naming "device 2" means bob's own, never carol's.
    await expect(devices.removeDevice({ kind: 'password', account: carol.record }, 2)).resolves.toBeUndefined();
    expect(await storage.devices.listIds(bob.accountId)).toEqual([2]);
    expect(await storage.devices.listIds(carol.accountId)).toEqual([1]);
  });

  it('never leaves an account without a device when two removals race', async () => {
    const bob = await account(2);
    const results = await Promise.allSettled([devices.removeDevice(bob.actor(1), 2), devices.removeDevice(bob.actor(2), 1)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await storage.devices.listIds(bob.accountId)).toHaveLength(1);
  });
});
