import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src-shared/domain/limits';
import { DEFAULT_ABUSE_LIMITS } from '../../abuseLimits';
import { deviceKeyOf, type Bus } from '../../bus/bus';
import { createInProcessBus } from '../../bus/inProcessBus';
import { createJsonLinesLogger } from '../../logger';
import type { Storage } from '../../storage/storage';
import { testBackends } from '../../testing/backends';
import { fakeDeviceKeys } from '../../testing/fakeKeys';
import { openTestStorage } from '../../testing/testStorage';
import { createAccountsService, type AccountsService } from '../accounts';
import type { AuthenticatedDevice } from '../deviceAuth';
import { createPreKeysService } from '../preKeys';
import { ServiceError } from '../serviceError';

const limits = DEFAULT_ABUSE_LIMITS;
const floor = limits.oneTimePreKeyFloor;

/** A clock the test moves by hand. */
function manualClock(time: number) {
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe.each(testBackends())('prekey-bundle abuse limits on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let accounts: AccountsService;
  let bus: Bus;
  const logger = createJsonLinesLogger({ write: () => undefined });
  const clock = manualClock(1_800_000_000_000);
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    accounts = createAccountsService({
      storage,
      clock,
      logger,
      passwordHashing: { memoryCost: 256, timeCost: 1 },
      limits: { ...limits, registrationsPerMinute: 10_000 },
    });
    bus = createInProcessBus(logger);
  });
  afterAll(async () => {
    await bus.close();
    await dispose();
  });

  let counter = 0;
  async function register(preKeys = 5): Promise<AuthenticatedDevice> {
    const keys = fakeDeviceKeys({ preKeys, kyberPreKeys: preKeys });
    const account = await accounts.register({ username: `bundles_${++counter}_${backend.name}`, password: 'long enough password', device: keys });
    return { accountId: account.accountId, deviceId: account.deviceId };
  }
  /** Counts the `prekeys_low` signals published to a device. */
  function lowSignals(device: AuthenticatedDevice) {
    const seen = { count: 0 };
    bus.subscribe(deviceKeyOf(device.accountId, device.deviceId), (signal) => {
      if (signal.kind === 'prekeys_low') seen.count++;
    });
    return seen;
  }
  async function codeOf(fetch: Promise<unknown>): Promise<string> {
    try {
      await fetch;
      return 'ok';
    } catch (error) {
      if (error instanceof ServiceError) return error.code;
      throw error;
    }
  }

  it('refuses 1,000 fetches by one requester past its limit, never takes keys below the floor, and signals low once per window', async () => {
    const preKeys = createPreKeysService({ storage, bus, logger, clock, limits });
    const bob = await register(LIMITS.preKeyLowWatermark + 30);
    const alice = await register();
    const signals = lowSignals(bob);

    const codes: string[] = [];
    const bundles = [];
    for (let fetch = 0; fetch < 1_000; fetch++) {
      try {
        bundles.push(await preKeys.fetchBundle(alice, bob.accountId));
        codes.push('ok');
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        codes.push(error.code);
        expect(error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }
    }
    const allowed = limits.bundleFetchesPerRequesterPerMinute;
    expect(codes.slice(0, allowed).every((code) => code === 'ok')).toBe(true);
    expect(codes.slice(allowed).every((code) => code === 'rate_limited')).toBe(true);

    expect(await preKeys.count(bob)).toEqual({ preKeys: floor, kyberPreKeys: floor });
    const handedOut = bundles.filter((bundle) => bundle.devices[0]?.preKey !== undefined);
    expect(handedOut).toHaveLength(LIMITS.preKeyLowWatermark + 30 - floor);
    // Past the floor: no one-time EC key, and the Kyber last-resort key.
    const lastResort = bundles.at(-1)!.devices[0]!;
    expect(lastResort.preKey).toBeUndefined();
    expect(lastResort.kyberPreKey.keyId).toBe(999_999);

    expect(signals.count).toBe(1);
    clock.advance(limits.preKeysLowIntervalMs);
    await preKeys.fetchBundle(alice, bob.accountId);
    expect(signals.count).toBe(2);
    expect(await preKeys.count(bob)).toEqual({ preKeys: floor, kyberPreKeys: floor });
  });

  it("limits the fetches of one target by all of one account's devices together, and leaves the target reachable for others", async () => {
    const preKeys = createPreKeysService({ storage, bus, logger, clock, limits });
    const bob = await register();
    const mallory = await register();
    const requesters = [mallory, { ...mallory, deviceId: 2 }, { ...mallory, deviceId: 3 }];
    const perRequester = Math.ceil(limits.bundleFetchesPerTargetPerMinute / requesters.length) + 20;
    const codes: string[] = [];
    for (const requester of requesters) {
      for (let fetch = 0; fetch < perRequester; fetch++) codes.push(await codeOf(preKeys.fetchBundle(requester, bob.accountId)));
    }
    expect(codes.filter((code) => code === 'ok')).toHaveLength(limits.bundleFetchesPerTargetPerMinute);
    expect(codes.slice(limits.bundleFetchesPerTargetPerMinute).every((code) => code === 'rate_limited')).toBe(true);
    // Another target is unaffected, and so is everyone else who wants to reach bob.
    expect(await codeOf(preKeys.fetchBundle(requesters[0]!, (await register()).accountId))).toBe('ok');
    expect(await codeOf(preKeys.fetchBundle(await register(), bob.accountId))).toBe('ok');
  });

  it('keeps the floor under concurrent fetches', async () => {
    const preKeys = createPreKeysService({ storage, bus, logger, clock, limits });
    const bob = await register(floor + 5);
    const requesters = await Promise.all(Array.from({ length: 4 }, () => register()));
    const bundles = await Promise.all(
      Array.from({ length: 40 }, (_, index) => preKeys.fetchBundle(requesters[index % requesters.length]!, bob.accountId)),
    );
    const ids = bundles.flatMap((bundle) => (bundle.devices[0]?.preKey ? [bundle.devices[0].preKey.keyId] : []));
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(await preKeys.count(bob)).toEqual({ preKeys: floor, kyberPreKeys: floor });
  });
});
