import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Clock, Logger } from '../../src-shared/domain/runtime';
import { LIMITS } from '../../src-shared/domain/limits';
import type { LookupAccountResponse, RegisterAccountResponse } from '../../src-shared/protocol/http';
import type { DeviceKeys } from '../../src-shared/protocol/keys';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../abuseLimits';
import { isUniqueViolation } from '../storage/database';
import type { AccountRecord } from '../storage/accountsRepository';
import type { Repositories, Storage } from '../storage/storage';
import { FixedWindowCounter } from './abuse/fixedWindowCounter';
import { PasswordBackoff } from './abuse/passwordBackoff';
import { PasswordHashGate } from './abuse/passwordHashGate';
import { rateLimited } from './abuse/rateLimited';
import type { AuthenticatedDevice } from './deviceAuth';
import { insertDeviceRows } from './deviceRows';
import { dayOf } from './days';
import { verifyPublishedKeys } from './keySignatures';
import { ServiceError } from './serviceError';

/** Device ids are 1 to 127 (the protocol's device id, src-shared/domain/ids.ts). */
export const MAX_DEVICE_ID = 127;

/** Argon2id cost. The default follows OWASP's minimum (19 MiB, 2 passes); tests lower it. */
export type PasswordHashing = { memoryCost: number; timeCost: number };
export const DEFAULT_PASSWORD_HASHING: PasswordHashing = { memoryCost: 19_456, timeCost: 2 };

/** A3: a released username is kept for its old account this many days before anyone may take it. */
const USERNAME_HOLD_DAYS = 7;

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(options: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  passwordHashing?: PasswordHashing;
  limits?: AbuseLimits;
  /** Bounds Argon2id work; default one of its own, from `limits`. */
  passwordHashGate?: PasswordHashGate;
}) {
  const { storage, clock, logger } = options;
  const hashing = { ...(options.passwordHashing ?? DEFAULT_PASSWORD_HASHING), parallelism: 1 };
  const limits = options.limits ?? DEFAULT_ABUSE_LIMITS;
  const hashGate = options.passwordHashGate ?? new PasswordHashGate(limits);
  // Two levels, so a stranger cannot lock someone out by guessing now and then: the back-off
  // starts for one name from one source after a few failures, and for the name from everywhere
  // only after ten times as many.
  const passwordBackoff = new PasswordBackoff({ clock, limits });
  const passwordBackoffEverywhere = new PasswordBackoff({
    clock,
    limits: { ...limits, passwordFailuresBeforeBackoff: limits.passwordFailuresBeforeBackoff * 10 },
  });
  const registrations = new FixedWindowCounter({ clock, limit: limits.registrationsPerMinute, windowMs: 60_000, maxKeys: 1 });
  // Verified against when the username does not exist, so a miss takes as long as a wrong password.
  let absentAccountHash: Promise<string> | undefined;

  const insertDevice = (repositories: Repositories, accountId: string, deviceId: number, keys: DeviceKeys) =>
    insertDeviceRows(repositories, accountId, deviceId, keys, dayOf(clock.now()));

  /** Whether `username` was given up in the last few days by an account other than `accountId`. */
  const heldForAnother = async (username: string, accountId: string | undefined) => {
    const releasedBy = await storage.accounts.releasedBy(username, dayOf(clock.now()) - USERNAME_HOLD_DAYS);
    return releasedBy !== undefined && releasedBy !== accountId;
  };

  return {
    /**
     * A new account with its first device (id 1). `username` is already normalised. The device's
     * prekeys must be signed by the identity key it brings (`invalid_signature` otherwise).
     */
    async register(request: { username: string; password: string; device: DeviceKeys }): Promise<RegisterAccountResponse> {
      verifyPublishedKeys(request.device.identityKey, request.device);
      if ((await storage.accounts.findByUsername(request.username)) || (await heldForAnother(request.username, undefined))) {
        throw new ServiceError('username_taken', 'that username is taken');
      }
      const wait = registrations.hit('server');
      if (wait !== undefined) throw rateLimited('the server takes no more registrations this minute', wait);
      const passwordHash = await hashGate.registration(() => hash(request.password, hashing));
      const accountId = randomUUID();
      try {
        await storage.transaction(async (repositories) => {
          await repositories.accounts.insert({
            id: accountId,
            username: request.username,
            passwordHash,
            identityKey: request.device.identityKey,
            createdDay: dayOf(clock.now()),
          });
          await insertDevice(repositories, accountId, 1, request.device);
          await repositories.accounts.claimDeviceId(accountId, new Set(), MAX_DEVICE_ID); // records id 1 as given
        });
      } catch (error) {
        // Someone registered the same name between our check and our insert.
        if (isUniqueViolation(error)) throw new ServiceError('username_taken', 'that username is taken');
        throw error;
      }
      logger.debug('account_registered', { accountId });
      return { accountId, deviceId: 1, username: request.username };
    },

    /**
     * Checks a username (normalised) and password; throws `unauthorized` without saying which was
     * wrong. After repeated failures for one name, existing or not, from one `source` (an address
     * key held in memory only) — or ten times as many from everywhere — it throws `rate_limited`
     * with `retryAfterSeconds` for a doubling back-off, refusing even the right password unchecked.
     */
    async verifyPassword(username: string, password: string, source = 'unknown'): Promise<AccountRecord> {
      passwordBackoff.admit(`${username}\n${source}`);
      passwordBackoffEverywhere.admit(username);
      const account = await storage.accounts.findByUsername(username);
      const matches = await hashGate.signIn(async () => {
        if (account) return verify(account.passwordHash, password).catch(() => false);
        absentAccountHash ??= hash('absent account', hashing);
        await verify(await absentAccountHash, password).catch(() => false);
        return false;
      });
      if (!account || !matches) throw new ServiceError('unauthorized', 'invalid username or password');
      passwordBackoff.succeeded(`${username}\n${source}`);
      passwordBackoffEverywhere.succeeded(username);
      return account;
    },

    /**
     * Links another device to an account whose password the caller proved. The device must carry
     * the account's identity key (`identity_mismatch`) and its prekeys must be signed by it
     * (`invalid_signature`); it gets the next device id never given in the account (a removed
     * device's id is not given again until all 127 were used).
     */
    async addDevice(account: AccountRecord, keys: DeviceKeys): Promise<RegisterAccountResponse> {
      const checkKeys = (identityKey: string) => {
        if (keys.identityKey !== identityKey) throw new ServiceError('identity_mismatch', "the device's identity key is not the account's");
        verifyPublishedKeys(identityKey, keys);
      };
      checkKeys(account.identityKey);
      const deviceId = await storage.transaction(async (repositories) => {
        // Serialises concurrent additions to one account (PostgreSQL; SQLite is serial anyway).
        const locked = await repositories.accounts.findByIdForUpdate(account.id);
        if (!locked) throw new ServiceError('unauthorized', 'invalid username or password');
        // Checked again under the lock: a fresh start since `account` was read replaced the identity.
        if (locked.identityKey !== account.identityKey) checkKeys(locked.identityKey);
        const used = new Set(await repositories.devices.listIds(account.id));
        if (used.size >= LIMITS.devicesPerAccount) {
          throw new ServiceError('too_many_devices', `an account has at most ${LIMITS.devicesPerAccount} devices`);
        }
        const candidate = await repositories.accounts.claimDeviceId(account.id, used, MAX_DEVICE_ID);
        if (candidate === undefined) throw new ServiceError('too_many_devices', 'the account has no device id left');
        await insertDevice(repositories, account.id, candidate, keys);
        return candidate;
      });
      logger.debug('device_added', { accountId: account.id, deviceId });
      return { accountId: account.id, deviceId, username: account.username };
    },

    /** Notes that the device was active today (day granularity only). */
    recordActivity(device: AuthenticatedDevice): Promise<void> {
      return storage.devices.touchLastSeen(device.accountId, device.deviceId, dayOf(clock.now()));
    },

    async lookup(username: string): Promise<LookupAccountResponse> {
      const account = await storage.accounts.findByUsername(username);
      if (!account) throw new ServiceError('not_found', 'no account has that username');
      return { accountId: account.id, username: account.username };
    },

    /**
     * A3: the account takes `username`; the old one is free for anyone from then on. Asking for
     * the name it already has changes nothing.
     */
    async changeUsername(accountId: string, username: string): Promise<LookupAccountResponse> {
      const holder = await storage.accounts.findByUsername(username);
      if (holder && holder.id !== accountId) throw new ServiceError('username_taken', 'that username is taken');
      if (!holder && (await heldForAnother(username, accountId))) throw new ServiceError('username_taken', 'that username was in use until a few days ago; try another one');
      const current = await storage.accounts.findById(accountId);
      if (!holder && current) {
        try {
          const day = dayOf(clock.now());
          await storage.transaction(async (repositories) => {
            await repositories.accounts.purgeReleased(day - USERNAME_HOLD_DAYS);
            await repositories.accounts.setUsername(accountId, username, current.username, day);
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw new ServiceError('username_taken', 'that username is taken');
          throw error;
        }
      }
      return { accountId, username };
    },

    /** Names an account, e.g. the sender of an envelope. */
    async describe(accountId: string): Promise<LookupAccountResponse> {
      const account = await storage.accounts.findById(accountId);
      if (!account) throw new ServiceError('not_found', 'no such account');
      return { accountId: account.id, username: account.username };
    },
  };
}
