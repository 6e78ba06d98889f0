import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../bus/inProcessBus';
import { createJsonLinesLogger } from '../logger';
import type { Storage } from '../storage/storage';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { openTestStorage } from '../testing/testStorage';
import { createAccountsService } from './accounts';
import { createArchiveService } from './archive';
import { createFreshStartService } from './freshStart';

/** Orders that HTTP timing can only hit by luck, forced here: each step of the other side runs between a read and its write. */
describe.each(testBackends())('a fresh start racing the old identity on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  const logger = createJsonLinesLogger({ write: () => undefined });
  const clock = { now: () => 1_800_000_000_000 };
  const bus = createInProcessBus(logger);
  let accounts: ReturnType<typeof createAccountsService>;
  let freshStart: ReturnType<typeof createFreshStartService>;
  let archive: ReturnType<typeof createArchiveService>;
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    accounts = createAccountsService({ storage, clock, logger, passwordHashing: { memoryCost: 256, timeCost: 1 } });
    freshStart = createFreshStartService({ storage, bus, clock, logger });
    archive = createArchiveService({ storage, clock });
  });
  afterAll(async () => {
    await bus.close();
    await dispose();
  });

  let counter = 0;
  async function account() {
    const keys = fakeDeviceKeys();
    const username = `race_${++counter}_${backend.name}`;
    const registered = await accounts.register({ username, password: 'correct horse battery', device: keys });
    return { ...registered, keys, record: (await storage.accounts.findById(registered.accountId))! };
  }

  it('refuses a device of the old identity whose account was read before the fresh start', async () => {
    const alice = await account();
    const stale = alice.record; // what verifyPassword or a link token answered, just before the fresh start
    await freshStart.startFresh(stale, fakeDeviceKeys());
    await expect(accounts.addDevice(stale, fakeDeviceKeys({ identityKey: alice.keys.identityKey }))).rejects.toMatchObject({ code: 'identity_mismatch' });
    expect(await storage.devices.listIds(alice.accountId)).toEqual([2]);
  });

  it('refuses an upload of an ended device, and of the epoch a fresh start ended', async () => {
    const alice = await account();
    await freshStart.startFresh(alice.record, fakeDeviceKeys());
    const item = { id: 'sealed-by-the-old-key', body: Buffer.from('old').toString('base64') };
    await expect(archive.append({ accountId: alice.accountId, deviceId: 1 }, 0, [item])).rejects.toMatchObject({ code: 'session_ended' });
    await expect(archive.append({ accountId: alice.accountId, deviceId: 2 }, 0, [item])).rejects.toMatchObject({ code: 'forbidden' });
    expect(await archive.append({ accountId: alice.accountId, deviceId: 2 }, 1, [item])).toEqual({ stored: 1 });
  });
});
