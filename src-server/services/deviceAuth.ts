import { createHash, timingSafeEqual } from 'node:crypto';
import type { Storage } from '../storage/storage';
import { ServiceError } from './serviceError';

/** A device whose credentials were checked; every device-authenticated call acts as it. */
export type AuthenticatedDevice = { accountId: string; deviceId: number };

/** The server keeps only this hash of a device secret. A fast hash suffices: the secret is 32+ random bytes. */
export function hashDeviceSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

// Compared against when the device does not exist, so a miss costs the same as a wrong secret.
const ABSENT_DEVICE_HASH = hashDeviceSecret('no such device');

export type DeviceAuth = {
  /** Resolves the device or throws `unauthorized`, without saying which part was wrong. */
  authenticate(credentials: { accountId: string; deviceId: number; secret: string }): Promise<AuthenticatedDevice>;
};

export function createDeviceAuth(storage: Storage): DeviceAuth {
  return {
    async authenticate({ accountId, deviceId, secret }) {
      const device = await storage.devices.find(accountId, deviceId);
      const expected = Buffer.from(device?.secretHash ?? ABSENT_DEVICE_HASH, 'hex');
      const presented = Buffer.from(hashDeviceSecret(secret), 'hex');
      const matches = expected.length === presented.length && timingSafeEqual(expected, presented);
      if (!device || !matches) throw new ServiceError('unauthorized', 'invalid device credentials');
      return { accountId, deviceId };
    },
  };
}
