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

const AVATAR_ASSOCIATED_DATA = Buffer.from('parley avatar v1');
/** Avatars are padded to 8 KiB classes: the server learns roughly how large the image is, nothing of what it shows. */
const AVATAR_PAD_BLOCK = 8 * 1024;

/** An avatar key's version, as the server files the sealed avatar. */
export const avatarVersionOf = (key: Uint8Array): string => derive(key, 'parley avatar version', 16).toString('hex');

/** The avatar image as the server keeps it (base64), sealed under a key derived from the avatar key. */
export function sealAvatar(key: Uint8Array, image: Uint8Array): string {
  return seal(derive(key, 'parley avatar seal', 32), pad(image, AVATAR_PAD_BLOCK), AVATAR_ASSOCIATED_DATA).toString('base64');
}

/** Opens a sealed avatar; ProfileUnreadableError when it does not open. */
export function openAvatar(key: Uint8Array, ciphertext: string): Buffer {
  try {
    return Buffer.from(unpad(open(derive(key, 'parley avatar seal', 32), Buffer.from(ciphertext, 'base64'), AVATAR_ASSOCIATED_DATA)));
  } catch {
    throw new ProfileUnreadableError();
  }
}
