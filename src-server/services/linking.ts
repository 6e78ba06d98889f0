import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../../src-shared/domain/runtime';
import type { DeviceKeys } from '../../src-shared/protocol/keys';
import type { RegisterAccountResponse } from '../../src-shared/protocol/http';
import { LINK_TTL_MS, type LinkTokenResponse, type ProvisioningMessage, type ProvisioningSlot } from '../../src-shared/protocol/linking';
import { provisioningKeyOf, type Bus } from '../bus/bus';
import type { Storage } from '../storage/storage';
import type { AccountsService } from './accounts';
import type { AuthenticatedDevice } from './deviceAuth';
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
     * `waitMs` (undefined when nothing came; the caller asks again). Collected means deleted.
     * `not_found` once the address expired. `cancelled` ends the wait early (the client left).
     */
    async collect(address: string, waitMs: number, cancelled: AbortSignal): Promise<ProvisioningMessage | undefined> {
      const deadline = clock.now() + waitMs;
      for (;;) {
        const slot = await storage.linking.readSlot(address, clock.now());
        if (!slot) throw new ServiceError('not_found', 'that link code has expired');
        if (slot.body !== null) {
          await storage.linking.deleteSlot(address);
          return { body: slot.body };
        }
        const left = deadline - clock.now();
        if (left <= 0 || cancelled.aborted) return undefined;
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
    },

    /** A one-time token for one more device of the caller's account. */
    async issueToken(device: AuthenticatedDevice): Promise<LinkTokenResponse> {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = clock.now() + LINK_TTL_MS;
      await storage.linking.insertToken(hashToken(token), device.accountId, expiresAt);
      return { token, expiresAt };
    },

    /**
     * Registers the new device with a token: used once (a second use, an expired or an unknown
     * token is `forbidden`), and only by a device that carries the account's identity key with
     * prekeys it signed. If the registration is refused, the token is kept for a retry.
     */
    async registerLinked(token: string, keys: DeviceKeys): Promise<RegisterAccountResponse> {
      const tokenHash = hashToken(token);
      const now = clock.now();
      const taken = await storage.linking.takeToken(tokenHash, now);
      if (!taken) throw new ServiceError('forbidden', 'that link has expired or was already used; link again');
      const account = await storage.accounts.findById(taken.accountId);
      if (!account) throw new ServiceError('forbidden', 'that account no longer exists');
      try {
        return await accounts.addDevice(account, keys);
      } catch (error) {
        await storage.linking.insertToken(tokenHash, taken.accountId, taken.expiresAt).catch(() => undefined);
        throw error;
      }
    },

    /** The retention job's part: expired addresses and tokens. */
    deleteExpired: () => storage.linking.deleteExpired(clock.now()),
  };
}
