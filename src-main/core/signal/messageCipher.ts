import {
  CiphertextMessageType,
  KEMPublicKey,
  PreKeyBundle,
  PreKeySignalMessage,
  ProtocolAddress,
  PublicKey,
  SignalMessage,
  processPreKeyBundle,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import type { Envelope, OutgoingEnvelope } from '../../../src-shared/protocol/frames';
import type { PreKeyBundle as WirePreKeyBundle } from '../../../src-shared/protocol/keys';
import { bytesFromBase64, bytesToBase64, type Bytes } from '../util/bytes';
import type { ProtocolStores } from './protocolStores';

/** Where this device's sessions live: libsignal addresses are (account id, device id). */
export const protocolAddress = (accountId: string, deviceId: number) => ProtocolAddress.new(accountId, deviceId);

/** A fetched bundle whose keys are malformed or not signed by its identity key. */
export class BundleVerificationError extends Error {
  constructor(readonly deviceId?: number) {
    super(deviceId === undefined ? 'the identity key is not a key' : `the keys of device ${deviceId} failed verification`);
    this.name = 'BundleVerificationError';
  }
}

/** Whether `check` returns true; libsignal throws on malformed bytes, which counts as false. */
const verifies = (check: () => boolean) => {
  try {
    return check();
  } catch {
    return false;
  }
};

const wellFormed = (publicKey: string, parse: (bytes: Bytes) => unknown) =>
  verifies(() => {
    parse(bytesFromBase64(publicKey));
    return true;
  });

/**
 * Checks every key of a bundle before any session starts: well-formed, and both prekeys signed
 * by the bundle's identity key. libsignal checks the signatures as well, but its error does not
 * say what failed; this one lets the caller tell a forged or corrupted bundle from a transient
 * failure. Throws BundleVerificationError.
 */
function verifiedIdentity(bundle: WirePreKeyBundle): PublicKey {
  let identityKey: PublicKey;
  try {
    identityKey = PublicKey.deserialize(bytesFromBase64(bundle.identityKey));
  } catch {
    throw new BundleVerificationError();
  }
  const signed = (key: { publicKey: string; signature: string }) =>
    verifies(() => identityKey.verify(bytesFromBase64(key.publicKey), bytesFromBase64(key.signature)));
  for (const device of bundle.devices) {
    const valid =
      wellFormed(device.signedPreKey.publicKey, (bytes) => PublicKey.deserialize(bytes)) &&
      signed(device.signedPreKey) &&
      wellFormed(device.kyberPreKey.publicKey, (bytes) => KEMPublicKey.deserialize(bytes)) &&
      signed(device.kyberPreKey) &&
      (!device.preKey || wellFormed(device.preKey.publicKey, (bytes) => PublicKey.deserialize(bytes)));
    if (!valid) throw new BundleVerificationError(device.deviceId);
  }
  return identityKey;
}

/**
 * Starts a session (PQXDH: X25519 plus Kyber-1024) with every device in a fetched bundle, once
 * every device's prekey signatures verify against the bundle's identity key (none is started
 * otherwise: BundleVerificationError).
 */
export async function startSessions(stores: ProtocolStores, local: ProtocolAddress, bundle: WirePreKeyBundle, now: Date) {
  const identityKey = verifiedIdentity(bundle);
  for (const device of bundle.devices) {
    const libsignalBundle = PreKeyBundle.new(
      device.registrationId,
      device.deviceId,
      device.preKey?.keyId ?? null,
      device.preKey ? PublicKey.deserialize(bytesFromBase64(device.preKey.publicKey)) : null,
      device.signedPreKey.keyId,
      PublicKey.deserialize(bytesFromBase64(device.signedPreKey.publicKey)),
      bytesFromBase64(device.signedPreKey.signature),
      identityKey,
      device.kyberPreKey.keyId,
      KEMPublicKey.deserialize(bytesFromBase64(device.kyberPreKey.publicKey)),
      bytesFromBase64(device.kyberPreKey.signature),
    );
    await processPreKeyBundle(
      libsignalBundle,
      protocolAddress(bundle.accountId, device.deviceId),
      local,
      stores.session,
      stores.identity,
      now,
    );
  }
}

/** Encrypts one padded plaintext for one device that already has a session. */
export async function encryptForDevice(
  stores: ProtocolStores,
  local: ProtocolAddress,
  address: ProtocolAddress,
  plaintext: Bytes,
  now: Date,
): Promise<OutgoingEnvelope> {
  const message = await signalEncrypt(plaintext, address, local, stores.session, stores.identity, now);
  const session = await stores.session.getSession(address);
  if (!session) throw new Error('the session vanished while encrypting');
  const type = message.type();
  if (type !== CiphertextMessageType.Whisper && type !== CiphertextMessageType.PreKey) {
    throw new Error(`unexpected ciphertext type ${type}`);
  }
  return {
    accountId: address.name(),
    deviceId: address.deviceId(),
    registrationId: session.remoteRegistrationId(),
    ciphertextType: type === CiphertextMessageType.PreKey ? 3 : 2,
    body: bytesToBase64(message.serialize()),
  };
}

/** Decrypts one envelope, advancing (staging) the session in `stores`. Throws on anything wrong. */
export async function decryptEnvelope(stores: ProtocolStores, local: ProtocolAddress, envelope: Envelope): Promise<Uint8Array> {
  const address = protocolAddress(envelope.sourceAccountId, envelope.sourceDeviceId);
  const body = bytesFromBase64(envelope.body);
  if (envelope.ciphertextType === 3) {
    return signalDecryptPreKey(
      PreKeySignalMessage.deserialize(body),
      address,
      local,
      stores.session,
      stores.identity,
      stores.preKey,
      stores.signedPreKey,
      stores.kyberPreKey,
    );
  }
  return signalDecrypt(SignalMessage.deserialize(body), address, local, stores.session, stores.identity);
}
