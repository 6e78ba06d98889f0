import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../../src-shared/domain/runtime';
import type { DeviceKeys } from '../../src-shared/protocol/keys';
import type { RegisterAccountResponse } from '../../src-shared/protocol/http';
import { LINK_TTL_MS, type LinkTokenResponse, type ProvisioningMessage, type ProvisioningSlot } from '../../src-shared/protocol/linking';
import { provisioningKeyOf, type Bus } from '../bus/bus';
import type { Storage } from '../storage/storage';
import type { AccountsService } from './accounts';
import { hashDeviceSecret, type AuthenticatedDevice } from './deviceAuth';
import { ServiceError } from './serviceError';

/** A waiting collector looks at its slot again this often, in case the wake-up came to another node. */
const RECHECK_MS = 2_000;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export type LinkingService = ReturnType<typeof createLinkingService>;

/**
 * The server's part in linking a device (C5): one-time provisioning addresses that carry one
 * sealed blob from an existing device to the new one, and one-time link tokens that let the new
 * device register as one more device of the account. The server never sees inside the blob; it
 * keeps an address and a token's hash for LINK_TTL_MS at most.
 */
export function createLinkingService(options: { storage: Storage; bus: Bus; accounts: AccountsService; clock: { now(): number }; logger: Logger }) {
  const { storage, bus, accounts, clock, logger } = options;
  /** The one collector waiting on each address (on this node). */
  const waiters = new Map<string, AbortController>();

  /** Collected means deleted, by exactly one collector. */
  async function collectFor(address: string, waitMs: number, cancelled: AbortSignal): Promise<ProvisioningMessage | undefined> {
    const deadline = clock.now() + waitMs;
    for (;;) {
      if (cancelled.aborted) return undefined;
      const slot = await storage.linking.readSlot(address, clock.now());
      if (!slot) throw new ServiceError('not_found', 'that link code has expired');
      if (slot.body !== null) return (await storage.linking.takeFilledSlot(address)) ? { body: slot.body } : undefined;
      const left = deadline - clock.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          unsubscribe();
          cancelled.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, RECHECK_MS));
        const unsubscribe = bus.subscribe(provisioningKeyOf(address), done);
        cancelled.addEventListener('abort', done);
      });
    }
  }

  return {
    /** A fresh address for a new device's link code. */
    async openSlot(): Promise<ProvisioningSlot> {
      const address = randomBytes(16).toString('base64url');
      const expiresAt = clock.now() + LINK_TTL_MS;
      await storage.linking.openSlot(address, expiresAt);
      return { address, expiresAt };
    },

    /** An existing device leaves the sealed blob; once per address, while it is live. */
    async deliver(device: AuthenticatedDevice, address: string, message: ProvisioningMessage): Promise<void> {
      const outcome = await storage.linking.fillSlot(address, message.body, clock.now());
      if (outcome === 'absent') throw new ServiceError('not_found', 'that link code has expired or was never issued');
      if (outcome === 'full') throw new ServiceError('forbidden', 'that link code was already used');
      logger.debug('provisioning_delivered', { accountId: device.accountId, deviceId: device.deviceId });
      bus.publish(provisioningKeyOf(address), { kind: 'provisioned' });
    },

    /**
     * The new device collects the blob: at once if it is there, else when it comes, waiting up to
     * `waitMs` (undefined when nothing came; the caller asks again). Collected means deleted, and
     * only one collector gets it. One waiter per address: a newer request ends an older one's
     * wait (answered undefined). `not_found` once the address expired. `left` ends the wait
     * early (the client went away).
     */
    async collect(address: string, waitMs: number, left: AbortSignal): Promise<ProvisioningMessage | undefined> {
      waiters.get(address)?.abort();
      const mine = new AbortController();
      waiters.set(address, mine);
      try {
        return await collectFor(address, waitMs, AbortSignal.any([left, mine.signal]));
      } finally {
        if (waiters.get(address) === mine) waiters.delete(address);
      }
    },

    /** Ends every wait (the server is closing): each is answered at once. */
    stopWaiting() {
      for (const waiter of waiters.values()) waiter.abort();
      waiters.clear();
    },

    /** A one-time token for one more device of the caller's account. */
    async issueToken(device: AuthenticatedDevice): Promise<LinkTokenResponse> {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = clock.now() + LINK_TTL_MS;
      await storage.linking.insertToken(hashToken(token), device.accountId, expiresAt);
      return { token, expiresAt };
    },

    /**
     * Registers the new device with a token, once: an unknown or expired token, or one another
     * device used, is `forbidden`. The same device asking again (same token, same device secret:
     * its first answer was lost) gets the same answer. Only a device that carries the account's
     * identity key with prekeys it signed is registered; if it is refused, the token is freed.
     */
    async registerLinked(token: string, keys: DeviceKeys): Promise<RegisterAccountResponse> {
      const tokenHash = hashToken(token);
      const secretHash = hashDeviceSecret(keys.secret);
      const found = await storage.linking.findToken(tokenHash, clock.now());
      const refused = () => new ServiceError('forbidden', 'that link has expired or was already used; link again');
      if (!found) throw refused();
      const account = await storage.accounts.findById(found.accountId);
      if (!account) throw refused();
      if (found.usedSecretHash !== null) {
        if (found.usedSecretHash !== secretHash || !found.usedDeviceId) throw refused();
        // Later than the first answer's time: a restore then repeats some messages it also gets live (stored once), never misses one.
        const archive = await storage.archive.state(account.id);
        return { accountId: account.id, deviceId: found.usedDeviceId, username: account.username, registeredAt: clock.now(), archive };
      }
      if (!(await storage.linking.claimToken(tokenHash, secretHash))) throw refused();
      let registered: RegisterAccountResponse;
      try {
        registered = await accounts.addDevice(account, keys);
      } catch (error) {
        await storage.linking.releaseToken(tokenHash).catch(() => undefined);
        throw error;
      }
      await storage.linking.recordTokenDevice(tokenHash, registered.deviceId);
      // Taken once the device exists (never before: a message stored in between would be neither queued for it nor restored).
      const archive = await storage.archive.state(account.id);
      return { ...registered, registeredAt: clock.now(), archive };
    },

    /** The retention job's part: expired addresses and tokens. */
    deleteExpired: () => storage.linking.deleteExpired(clock.now()),
  };
}
