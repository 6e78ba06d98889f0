import type { PutAvatarRequest, PutProfileRequest } from '../../src-shared/protocol/profile';
import type { Storage } from '../storage/storage';
import type { AuthenticatedDevice } from './deviceAuth';
import { ServiceError } from './serviceError';

const DAY_MS = 24 * 60 * 60 * 1000;

export type ProfilesService = ReturnType<typeof createProfilesService>;

/**
 * Sealed profiles (A2): a device of the account replaces its sealed profile; any device asks
 * for an account's profile by the version it was given in an end-to-end message. A version that
 * is not the current one (an old key, a guess) finds nothing: who was dropped from the key by a
 * rotation cannot even fetch the new bytes.
 */
export function createProfilesService(options: { storage: Storage; clock: { now(): number } }) {
  const { storage, clock } = options;
  return {
    async put(device: AuthenticatedDevice, request: PutProfileRequest): Promise<void> {
      await storage.profiles.put(device.accountId, request.version, request.ciphertext, Math.floor(clock.now() / DAY_MS));
    },

    async get(accountId: string, version: string): Promise<{ ciphertext: string }> {
      const ciphertext = await storage.profiles.get(accountId, version);
      if (ciphertext === undefined) throw new ServiceError('not_found', 'no such profile');
      return { ciphertext };
    },

    /** A4: the account's sealed avatar, replacing the one before (whose version then finds nothing). */
    async putAvatar(device: AuthenticatedDevice, request: PutAvatarRequest): Promise<void> {
      await storage.profiles.putAvatar(device.accountId, request.version, request.ciphertext, Math.floor(clock.now() / DAY_MS));
    },

    async deleteAvatar(device: AuthenticatedDevice): Promise<void> {
      await storage.profiles.deleteAvatar(device.accountId);
    },

    async getAvatar(accountId: string, version: string): Promise<{ ciphertext: string }> {
      const ciphertext = await storage.profiles.getAvatar(accountId, version);
      if (ciphertext === undefined) throw new ServiceError('not_found', 'no such avatar');
      return { ciphertext };
    },
  };
}
