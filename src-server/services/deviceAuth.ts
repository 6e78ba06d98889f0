import { createHash, timingSafeEqual } from 'node:crypto';
import type { Storage } from '../storage/storage';
import { ServiceError } from './serviceError';

/** A device whose credentials were checked; every device-authenticated call acts as it. */
export type AuthenticatedDevice = { accountId: string; deviceId: number };

/** The server keeps only this hash of a device secret. A fast hash suffices: the secret is 32+ random bytes. */
export function hashDeviceSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export type DeviceAuth = {
  /**
   * Resolves the device. Throws `session_ended` when the account has no such device (it was
   * terminated, or the account is gone: the device then wipes itself, A9), and `unauthorized`
   * when the device exists but the secret is wrong. Saying which is safe: the account id in the
   * credentials is a random UUID that only the account's devices and contacts know, and a
   * terminated device may learn that it was.
   */
  authenticate(credentials: { accountId: string; deviceId: number; secret: string }): Promise<AuthenticatedDevice>;
};

export function createDeviceAuth(storage: Storage): DeviceAuth {
  return {
    async authenticate({ accountId, deviceId, secret }) {
      const device = await storage.devices.find(accountId, deviceId);
      if (!device) throw new ServiceError('session_ended', 'this device was signed out of its account');
      const expected = Buffer.from(device.secretHash, 'hex');
      const presented = Buffer.from(hashDeviceSecret(secret), 'hex');
      const matches = expected.length === presented.length && timingSafeEqual(expected, presented);
      if (!matches) throw new ServiceError('unauthorized', 'invalid device credentials');
      return { accountId, deviceId };
    },
  };
}
