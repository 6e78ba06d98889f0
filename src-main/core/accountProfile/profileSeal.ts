import { hkdfSync } from 'node:crypto';
import { profileSchema, type Profile } from '../../../src-shared/domain/profile';
import { open, seal } from '../crypto/aead';
import { pad, unpad } from '../crypto/padding';

const ASSOCIATED_DATA = Buffer.from('parley profile v1');

const derive = (key: Uint8Array, info: string, length: number) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, length));

/** A profile key's version (the server files the sealed profile under it): it names the key without revealing it. */
export const profileVersionOf = (key: Uint8Array): string => derive(key, 'parley profile version', 16).toString('hex');

/** The profile as the server keeps it: padded to a 160-byte class, sealed under a key derived from the profile key (base64). */
export function sealProfile(key: Uint8Array, profile: Profile): string {
  return seal(derive(key, 'parley profile seal', 32), pad(Buffer.from(JSON.stringify(profile))), ASSOCIATED_DATA).toString('base64');
}

export class ProfileUnreadableError extends Error {
  constructor() {
    super('that profile could not be opened with its key');
    this.name = 'ProfileUnreadableError';
  }
}

/** Opens a sealed profile; ProfileUnreadableError when it does not open or is not a profile. */
export function openProfile(key: Uint8Array, ciphertext: string): Profile {
  try {
    const plain = unpad(open(derive(key, 'parley profile seal', 32), Buffer.from(ciphertext, 'base64'), ASSOCIATED_DATA));
    return profileSchema.parse(JSON.parse(Buffer.from(plain).toString('utf8')));
  } catch {
    throw new ProfileUnreadableError();
  }
}
