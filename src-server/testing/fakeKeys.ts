import { randomBytes, randomInt } from 'node:crypto';
import { IdentityKeyPair, KEMKeyPair, PrivateKey } from '@signalapp/libsignal-client';
import type { DeviceKeys, KyberPreKey, PreKey, SignedPreKey } from '../../src-shared/protocol/keys';

/**
 * Test devices' keys. They are real libsignal keys with valid signatures, because the server
 * verifies every signed prekey against the account's identity key (services/keySignatures.ts).
 * Generating them is cheap (a Kyber-1024 key pair takes about 0.1 ms), so nothing is cached.
 */

/** Random bytes as base64, for what is not a key: secrets, ciphertexts, made-up identity keys. */
export const fakeBase64 = (bytes: number) => randomBytes(bytes).toString('base64');

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

// The private half of every identity made here, by its public key: a test links a second device
// by passing only the account's identity key (all the server sees), and that device's prekeys
// must still be signed by it.
const identities = new Map<string, PrivateKey>();

/** A new identity key pair; returns its public key, which the `identityKey` options accept. */
export function fakeIdentityKey(): string {
  const pair = IdentityKeyPair.generate();
  const publicKey = toBase64(pair.publicKey.serialize());
  identities.set(publicKey, pair.privateKey);
  return publicKey;
}

/** `identityKey` signs, unless `badSignature`: then another key does (well-formed, but wrong). */
export type SigningOptions = { identityKey?: string; badSignature?: boolean };

function signature(bytes: Uint8Array<ArrayBuffer>, options: SigningOptions): string {
  // An identity key the test made up (or none): its private half is unknown, so a stranger signs.
  const signer = (!options.badSignature && options.identityKey && identities.get(options.identityKey)) || PrivateKey.generate();
  return toBase64(signer.sign(bytes));
}

export const fakePreKeys = (count: number, firstKeyId = 1): PreKey[] =>
  Array.from({ length: count }, (_, index) => ({
    keyId: firstKeyId + index,
    publicKey: toBase64(PrivateKey.generate().getPublicKey().serialize()),
  }));

export function fakeSignedPreKey(keyId: number, options: SigningOptions = {}): SignedPreKey {
  const publicKey = PrivateKey.generate().getPublicKey().serialize();
  return { keyId, publicKey: toBase64(publicKey), signature: signature(publicKey, options) };
}

export function fakeKyberPreKey(keyId: number, options: SigningOptions = {}): KyberPreKey {
  const publicKey = KEMKeyPair.generate().getPublicKey().serialize();
  return { keyId, publicKey: toBase64(publicKey), signature: signature(publicKey, options) };
}

export const fakeKyberPreKeys = (count: number, firstKeyId = 1, options: SigningOptions = {}): KyberPreKey[] =>
  Array.from({ length: count }, (_, index) => fakeKyberPreKey(firstKeyId + index, options));

/** Which of a device's signed keys `fakeDeviceKeys` signs wrongly. */
export type BadSignature = 'signedPreKey' | 'kyberLastResortPreKey' | 'kyberPreKeys';

/**
 * A device's registration material. Without `identityKey`, a new identity; with one made by this
 * module (another device's `keys.identityKey`), its prekeys are signed by that identity.
 */
export function fakeDeviceKeys(
  options: { identityKey?: string; preKeys?: number; kyberPreKeys?: number; name?: string; badSignature?: BadSignature } = {},
): DeviceKeys {
  const identityKey = options.identityKey ?? fakeIdentityKey();
  const signing = (part: BadSignature): SigningOptions => ({ identityKey, badSignature: options.badSignature === part });
  return {
    name: options.name ?? 'test device',
    registrationId: randomInt(1, 16_380),
    secret: fakeBase64(32),
    identityKey,
    signedPreKey: fakeSignedPreKey(1, signing('signedPreKey')),
    kyberLastResortPreKey: fakeKyberPreKey(999_999, signing('kyberLastResortPreKey')),
    preKeys: fakePreKeys(options.preKeys ?? 5),
    kyberPreKeys: fakeKyberPreKeys(options.kyberPreKeys ?? 5, 1, signing('kyberPreKeys')),
  };
}
