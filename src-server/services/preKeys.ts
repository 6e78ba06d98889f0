import { LIMITS } from '../../src-shared/domain/limits';
import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { PreKeyBundle, PreKeyCount, UploadPreKeysRequest } from '../../src-shared/protocol/keys';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../abuseLimits';
import { deviceKeyOf, type Bus } from '../bus/bus';
import type { Storage } from '../storage/storage';
import { FixedWindowCounter } from './abuse/fixedWindowCounter';
import { rateLimited } from './abuse/rateLimited';
import type { AuthenticatedDevice } from './deviceAuth';
import { verifyPublishedKeys } from './keySignatures';
import { ServiceError } from './serviceError';

/** Keeps the last key of each key id, so one upload never names a key id twice. */
export function uniqueByKeyId<Key extends { keyId: number }>(keys: readonly Key[]): Key[] {
  return [...new Map(keys.map((key) => [key.keyId, key])).values()];
}

export function isBelowLowWatermark(count: PreKeyCount): boolean {
  return count.preKeys < LIMITS.preKeyLowWatermark || count.kyberPreKeys < LIMITS.preKeyLowWatermark;
}

export type PreKeysService = ReturnType<typeof createPreKeysService>;

const MINUTE_MS = 60_000;

export function createPreKeysService(options: {
  storage: Storage;
  bus: Bus;
  logger: Logger;
  /** Drives the fetch limits and the `prekeys_low` interval; default the system clock. */
  clock?: Clock;
  limits?: AbuseLimits;
}) {
  const { storage, bus, logger } = options;
  const clock = options.clock ?? { now: () => Date.now() };
  const limits = options.limits ?? DEFAULT_ABUSE_LIMITS;
  const floor = limits.oneTimePreKeyFloor;
  const fetchesByRequester = new FixedWindowCounter({ clock, limit: limits.bundleFetchesPerRequesterPerMinute, windowMs: MINUTE_MS });
  const fetchesOfTarget = new FixedWindowCounter({ clock, limit: limits.bundleFetchesPerTargetPerMinute, windowMs: MINUTE_MS });
  const lowSignals = new FixedWindowCounter({ clock, limit: 1, windowMs: limits.preKeysLowIntervalMs });

  return {
    /**
     * Refill (one-time keys are added) and rotation (signed and last-resort keys replaced),
     * atomically. Signed keys must verify against the account's identity key (`invalid_signature`).
     */
    async upload(device: AuthenticatedDevice, request: UploadPreKeysRequest): Promise<void> {
      const { accountId, deviceId } = device;
      const account = await storage.accounts.findById(accountId);
      if (!account) throw new ServiceError('unauthorized', 'invalid device credentials');
      verifyPublishedKeys(account.identityKey, request);
      await storage.transaction(async (repositories) => {
        // A device refills what was taken; it never needs more than this many stored (disk is not free).
        const stored = await repositories.preKeys.count(accountId, deviceId);
        const most = limits.storedPreKeysPerDevice;
        if (stored.preKeys + (request.preKeys?.length ?? 0) > most || stored.kyberPreKeys + (request.kyberPreKeys?.length ?? 0) > most) {
          throw new ServiceError('bad_request', `a device keeps at most ${most} one-time prekeys of each kind on the server`);
        }
        if (request.preKeys) await repositories.preKeys.upsertPreKeys(accountId, deviceId, uniqueByKeyId(request.preKeys));
        if (request.kyberPreKeys) {
          await repositories.preKeys.upsertKyberPreKeys(accountId, deviceId, uniqueByKeyId(request.kyberPreKeys));
        }
        if (request.signedPreKey) await repositories.devices.replaceSignedPreKey(accountId, deviceId, request.signedPreKey);
        if (request.kyberLastResortPreKey) {
          await repositories.devices.replaceKyberLastResortPreKey(accountId, deviceId, request.kyberLastResortPreKey);
        }
      });
      logger.debug('prekeys_uploaded', {
        accountId,
        deviceId,
        // Named as counts and flags: a field named like key material (`preKeys`) is dropped.
        preKeyCount: request.preKeys?.length ?? 0,
        kyberPreKeyCount: request.kyberPreKeys?.length ?? 0,
        signedPreKeyReplaced: request.signedPreKey !== undefined,
        kyberLastResortPreKeyReplaced: request.kyberLastResortPreKey !== undefined,
      });
    },

    count(device: AuthenticatedDevice): Promise<PreKeyCount> {
      return storage.preKeys.count(device.accountId, device.deviceId);
    },

    /**
     * What `requester` needs to start sessions with `accountId`'s devices (or one of them).
     * Consumes one one-time EC and one one-time Kyber prekey per device, in one transaction, but
     * never one of a device's last `oneTimePreKeyFloor`: then the bundle has no one-time EC key
     * and carries the Kyber last-resort key. For the requester's own account, all-devices leaves
     * out the requester itself. `rate_limited` past the fetches per requesting device, or of one
     * target by one requesting account's devices together, in a minute.
     */
    async fetchBundle(requester: AuthenticatedDevice, accountId: string, deviceId?: number): Promise<PreKeyBundle> {
      const requesterWait = fetchesByRequester.hit(deviceKeyOf(requester.accountId, requester.deviceId));
      if (requesterWait !== undefined) throw rateLimited('too many prekey fetches; try again later', requesterWait);
      // Per target and requesting account: one account's devices cannot use up everyone's access
      // to a target (draining is the floor's job, below).
      const targetWait = fetchesOfTarget.hit(`${accountId}\n${requester.accountId}`);
      if (targetWait !== undefined) throw rateLimited("too many fetches of that account's prekeys; try again later", targetWait);
      const bundle = await storage.transaction(async (repositories): Promise<PreKeyBundle> => {
        // Locked (PostgreSQL), so two fetches cannot both see the count just above the floor.
        const account = await repositories.accounts.findByIdForUpdate(accountId);
        if (!account) throw new ServiceError('not_found', 'no such account');
        let devices = await repositories.devices.listByAccount(accountId);
        if (deviceId !== undefined) {
          devices = devices.filter((device) => device.deviceId === deviceId);
          if (devices.length === 0) throw new ServiceError('not_found', 'no such device');
        } else if (accountId === requester.accountId) {
          devices = devices.filter((device) => device.deviceId !== requester.deviceId);
        }
        const entries: PreKeyBundle['devices'] = [];
        for (const device of devices) {
          const count = await repositories.preKeys.count(accountId, device.deviceId);
          const preKey = count.preKeys > floor ? await repositories.preKeys.takePreKey(accountId, device.deviceId) : undefined;
          const kyberPreKey =
            count.kyberPreKeys > floor ? await repositories.preKeys.takeKyberPreKey(accountId, device.deviceId) : undefined;
          entries.push({
            deviceId: device.deviceId,
            registrationId: device.registrationId,
            signedPreKey: device.signedPreKey,
            ...(preKey ? { preKey } : {}),
            kyberPreKey: kyberPreKey ?? device.kyberLastResortPreKey,
          });
        }
        return { accountId, identityKey: account.identityKey, devices: entries };
      });

      // After the commit: tell devices that are running low (their session re-counts and, if
      // the device is online, pushes `prekeys_low`), each at most once per interval.
      for (const device of bundle.devices) {
        const count = await storage.preKeys.count(accountId, device.deviceId);
        const deviceKey = deviceKeyOf(accountId, device.deviceId);
        if (isBelowLowWatermark(count) && lowSignals.hit(deviceKey) === undefined) bus.publish(deviceKey, { kind: 'prekeys_low' });
      }
      return bundle;
    },
  };
}
