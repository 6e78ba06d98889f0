import { randomInt } from 'node:crypto';
import {
  IdentityKeyPair,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  SignedPreKeyRecord,
} from '@signalapp/libsignal-client';
import type { KyberPreKey, PreKey, SignedPreKey } from '../../../src-shared/protocol/keys';
import { bytesFromBase64, bytesToBase64 } from '../util/bytes';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { readLocalKeys, writeLocalKeys, type LocalKeys } from './localKeys';

/**
 * Making this device's keys: the identity at registration, then one-time prekeys whenever the
 * server runs low, and a fresh signed prekey on rotation. Private halves go into the vault
 * transaction; the public halves are returned for upload.
 */
export const PREKEY_BATCH = 100;

export function generateIdentity(now: number): LocalKeys {
  return {
    identityKeyPair: bytesToBase64(IdentityKeyPair.generate().serialize()),
    registrationId: randomInt(1, 16_381),
    signedPreKeyId: 0,
    signedPreKeyCreatedAt: now,
    kyberLastResortPreKeyId: 0,
    nextPreKeyId: 1,
    nextKyberPreKeyId: 1,
    nextSignedPreKeyId: 1,
  };
}

const identityOf = (keys: LocalKeys) => IdentityKeyPair.deserialize(bytesFromBase64(keys.identityKeyPair));

export const identityPublicKey = (keys: LocalKeys) => bytesToBase64(identityOf(keys).publicKey.serialize());

function makeKyberPreKey(transaction: VaultTransaction, identity: IdentityKeyPair, id: number, now: number): KyberPreKey {
  const keyPair = KEMKeyPair.generate();
  const publicKey = keyPair.getPublicKey().serialize();
  const signature = identity.privateKey.sign(publicKey);
  transaction.put('kyberPreKey', String(id), KyberPreKeyRecord.new(id, now, keyPair, signature).serialize());
  return { keyId: id, publicKey: bytesToBase64(publicKey), signature: bytesToBase64(signature) };
}

/** A new signed EC prekey; the previous one stays so sessions started with it still open. */
export function rotateSignedPreKey(transaction: VaultTransaction, now: number): SignedPreKey {
  const keys = readLocalKeys(transaction);
  const identity = identityOf(keys);
  const id = keys.nextSignedPreKeyId;
  const privateKey = PrivateKey.generate();
  const publicKey = privateKey.getPublicKey();
  const signature = identity.privateKey.sign(publicKey.serialize());
  transaction.put('signedPreKey', String(id), SignedPreKeyRecord.new(id, now, publicKey, privateKey, signature).serialize());
  writeLocalKeys(transaction, { ...keys, signedPreKeyId: id, signedPreKeyCreatedAt: now, nextSignedPreKeyId: id + 1 });
  return { keyId: id, publicKey: bytesToBase64(publicKey.serialize()), signature: bytesToBase64(signature) };
}

/** The Kyber key used when every one-time Kyber key is gone; kept until the next rotation. */
export function rotateKyberLastResortPreKey(transaction: VaultTransaction, now: number): KyberPreKey {
  const keys = readLocalKeys(transaction);
  const id = keys.nextKyberPreKeyId;
  const preKey = makeKyberPreKey(transaction, identityOf(keys), id, now);
  writeLocalKeys(transaction, { ...keys, kyberLastResortPreKeyId: id, nextKyberPreKeyId: id + 1 });
  return preKey;
}

/** `count` one-time EC prekeys and as many one-time Kyber prekeys. */
export function generateOneTimePreKeys(transaction: VaultTransaction, now: number, count = PREKEY_BATCH) {
  const keys = readLocalKeys(transaction);
  const identity = identityOf(keys);
  const preKeys: PreKey[] = [];
  const kyberPreKeys: KyberPreKey[] = [];
  for (let offset = 0; offset < count; offset += 1) {
    const id = keys.nextPreKeyId + offset;
    const privateKey = PrivateKey.generate();
    transaction.put('preKey', String(id), PreKeyRecord.new(id, privateKey.getPublicKey(), privateKey).serialize());
    preKeys.push({ keyId: id, publicKey: bytesToBase64(privateKey.getPublicKey().serialize()) });
    kyberPreKeys.push(makeKyberPreKey(transaction, identity, keys.nextKyberPreKeyId + offset, now));
  }
  writeLocalKeys(transaction, {
    ...keys,
    nextPreKeyId: keys.nextPreKeyId + count,
    nextKyberPreKeyId: keys.nextKyberPreKeyId + count,
  });
  return { preKeys, kyberPreKeys };
}
