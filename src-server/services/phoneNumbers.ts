import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { LookupAccountResponse } from '../../src-shared/protocol/http';
import type { PhoneNumberState, SyncContactsResponse } from '../../src-shared/protocol/phone';
import type { IdentifierSeal } from '../secrets/identifierSeal';
import type { Storage } from '../storage/storage';
import { FixedWindowCounter } from './abuse/fixedWindowCounter';
import { rateLimited } from './abuse/rateLimited';
import { isUniqueViolation } from '../storage/database';
import { dayOf } from './days';
import { ServiceError } from './serviceError';
import type { SmsProvider } from './smsProvider';

const CODE_TTL_MS = 10 * 60 * 1000;
const ATTEMPTS_PER_CODE = 5;
const CODES_PER_ACCOUNT_PER_HOUR = 5;
/** Codes to one number asked for by one account, and by all accounts together (so nobody can use up a stranger's). */
const CODES_PER_ACCOUNT_AND_NUMBER_PER_HOUR = 3;
const CODES_PER_NUMBER_PER_DAY = 20;
/** B2: contact syncs one account may make a day (each up to 5,000 numbers): a bound on guessing who has which number. */
const SYNCS_PER_ACCOUNT_PER_DAY = 6;
const DAY_MS = 24 * 60 * 60 * 1000;
const PENDING_MAX = 10_000;
const HOUR_MS = 60 * 60 * 1000;

/** A code on its way: kept in memory only, for ten minutes, with the number it proves. */
type Pending = { number: string; code: string; expiresAt: number; attempts: number };

export type PhoneNumbersService = ReturnType<typeof createPhoneNumbersService>;

/**
 * Optional phone numbers (A1, A3, B1, H3): verified by a one-time code through the SMS
 * provider, then kept only as a keyed hash (to be found by) and sealed (to be shown to their
 * owner), with keys outside the database. Found by others only while the owner allows it
 * ("Find me by my phone number"); never shown to anyone but the owner. Codes, and the number
 * while its code is pending, live in memory only.
 */
export function createPhoneNumbersService(options: { storage: Storage; seal: IdentifierSeal; sms: SmsProvider; clock: Clock; logger: Logger }) {
  const { storage, seal, sms, clock, logger } = options;
  const pending = new Map<string, Pending>();
  const codesPerAccount = new FixedWindowCounter({ clock, limit: CODES_PER_ACCOUNT_PER_HOUR, windowMs: HOUR_MS });
  const codesPerAccountAndNumber = new FixedWindowCounter({ clock, limit: CODES_PER_ACCOUNT_AND_NUMBER_PER_HOUR, windowMs: HOUR_MS });
  const codesPerNumber = new FixedWindowCounter({ clock, limit: CODES_PER_NUMBER_PER_DAY, windowMs: DAY_MS });
  const syncsPerAccount = new FixedWindowCounter({ clock, limit: SYNCS_PER_ACCOUNT_PER_DAY, windowMs: DAY_MS });

  const sweep = (now: number) => {
    for (const [accountId, entry] of pending) if (entry.expiresAt <= now) pending.delete(accountId);
  };

  async function state(accountId: string): Promise<PhoneNumberState | null> {
    const row = await storage.phoneNumbers.ofAccount(accountId);
    if (!row) return null;
    try {
      return { number: seal.open(accountId, row.numberSealed), discoverable: row.discoverable };
    } catch {
      // Sealed under keys this server no longer has (its secrets directory was lost): as if none.
      logger.warn('phone_number_unreadable', {});
      return null;
    }
  }

  return {
    /** Sends a code proving `number` (E.164) to it; the last code asked for is the one that counts. */
    async sendCode(accountId: string, number: string): Promise<void> {
      if (sms.available === false) throw new ServiceError('forbidden', 'this server is not set up to send SMS codes, so it takes no phone numbers');
      const now = clock.now();
      sweep(now);
      const hash = seal.hash('phone', number);
      const wait = codesPerAccount.hit(accountId) ?? codesPerAccountAndNumber.hit(`${accountId}:${hash}`) ?? codesPerNumber.hit(hash);
      if (wait !== undefined) throw rateLimited('too many codes asked for; wait before asking again', wait);
      if (pending.size >= PENDING_MAX && !pending.has(accountId)) throw rateLimited('the server is sending too many codes; try again shortly', 60_000);
      const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
      pending.set(accountId, { number, code, expiresAt: now + CODE_TTL_MS, attempts: 0 });
      try {
        await sms.send(number, code);
      } catch (error) {
        pending.delete(accountId);
        logger.warn('sms_failed', { reason: error instanceof Error ? error.name : 'unknown' });
        throw new ServiceError('internal', 'the code could not be sent; try again later');
      }
    },

    /** Checks the code; the number becomes the account's (taken from any account that had it). */
    async verify(accountId: string, code: string): Promise<PhoneNumberState> {
      const now = clock.now();
      const entry = pending.get(accountId);
      if (!entry || entry.expiresAt <= now) throw new ServiceError('forbidden', 'that code is wrong or has expired; ask for a new one');
      entry.attempts += 1;
      if (entry.attempts > ATTEMPTS_PER_CODE) {
        pending.delete(accountId);
        throw new ServiceError('forbidden', 'that code is wrong or has expired; ask for a new one');
      }
      if (!timingSafeEqual(Buffer.from(entry.code), Buffer.from(code.padEnd(6).slice(0, 6)))) {
        throw new ServiceError('forbidden', 'that code is wrong or has expired; ask for a new one');
      }
      pending.delete(accountId);
      const hash = seal.hash('phone', entry.number);
      const put = () => storage.transaction((repositories) => repositories.phoneNumbers.put(accountId, hash, seal.seal(accountId, entry.number), dayOf(now)));
      try {
        await put();
      } catch (error) {
        // Another account verified the same number at the same moment (PostgreSQL): the later one takes it.
        if (!isUniqueViolation(error)) throw error;
        await put();
      }
      return (await state(accountId)) ?? { number: entry.number, discoverable: true };
    },

    /** The account's own number (only its own devices ask), or null. */
    state,

    async setDiscoverable(accountId: string, discoverable: boolean): Promise<PhoneNumberState> {
      if (!(await storage.phoneNumbers.setDiscoverable(accountId, discoverable))) throw new ServiceError('not_found', 'this account has no phone number');
      const current = await state(accountId);
      if (!current) throw new ServiceError('not_found', 'this account has no phone number');
      return current;
    },

    async remove(accountId: string): Promise<void> {
      pending.delete(accountId);
      await storage.phoneNumbers.delete(accountId);
    },

    /** B2: the account's synced contacts become `numbers` (as keyed hashes); who of them can be found. */
    async syncContacts(accountId: string, numbers: string[]): Promise<SyncContactsResponse> {
      const wait = syncsPerAccount.hit(accountId);
      if (wait !== undefined) throw rateLimited('contacts were synced often enough today; try again tomorrow', wait);
      const hashes = numbers.map((number) => seal.hash('phone', number));
      await storage.transaction((repositories) => repositories.syncedContacts.replace(accountId, [...new Set(hashes)]));
      const found = await storage.syncedContacts.discoverableAmong([...new Set(hashes)]);
      const byHash = new Map(found.filter((match) => match.accountId !== accountId).map((match) => [match.hash, match]));
      return { matches: hashes.flatMap((hash, index) => (byHash.has(hash) ? [{ index, accountId: byHash.get(hash)!.accountId, username: byHash.get(hash)!.username }] : [])) };
    },

    async deleteSyncedContacts(accountId: string): Promise<void> {
      await storage.syncedContacts.deleteAll(accountId);
    },

    /** Who has `number`, while they let themselves be found by it; `not_found` otherwise, the same either way. */
    async lookup(number: string): Promise<LookupAccountResponse> {
      const accountId = await storage.phoneNumbers.discoverableAccount(seal.hash('phone', number));
      const account = accountId === undefined ? undefined : await storage.accounts.findById(accountId);
      if (!account) throw new ServiceError('not_found', 'nobody can be found by that number');
      return { accountId: account.id, username: account.username };
    },
  };
}
