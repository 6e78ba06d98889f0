import { randomBytes, randomInt } from 'node:crypto';
import type { DeviceKeys, KyberPreKey, PreKey } from '../../src-shared/protocol/keys';

/** Random bytes as base64: the server stores and relays keys without ever using them. */
export const fakeBase64 = (bytes: number) => randomBytes(bytes).toString('base64');

export const fakePreKeys = (count: number, firstKeyId = 1): PreKey[] =>
  Array.from({ length: count }, (_, index) => ({ keyId: firstKeyId + index, publicKey: fakeBase64(33) }));

export const fakeKyberPreKeys = (count: number, firstKeyId = 1): KyberPreKey[] =>
  Array.from({ length: count }, (_, index) => ({ keyId: firstKeyId + index, publicKey: fakeBase64(96), signature: fakeBase64(64) }));

/** A device's registration material with fake keys. */
export function fakeDeviceKeys(options: { identityKey?: string; preKeys?: number; kyberPreKeys?: number; name?: string } = {}): DeviceKeys {
  return {
    name: options.name ?? 'test device',
    registrationId: randomInt(1, 16_380),
    secret: fakeBase64(32),
    identityKey: options.identityKey ?? fakeBase64(33),
    signedPreKey: { keyId: 1, publicKey: fakeBase64(33), signature: fakeBase64(64) },
    kyberLastResortPreKey: { keyId: 999_999, publicKey: fakeBase64(96), signature: fakeBase64(64) },
    preKeys: fakePreKeys(options.preKeys ?? 5),
    kyberPreKeys: fakeKyberPreKeys(options.kyberPreKeys ?? 5),
  };
}
