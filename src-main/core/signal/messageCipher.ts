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

/**
 * Starts a session (PQXDH: X25519 plus Kyber-1024) with every device in a fetched bundle.
 * libsignal checks both prekey signatures against the bundle's identity key.
 */
export async function startSessions(stores: ProtocolStores, local: ProtocolAddress, bundle: WirePreKeyBundle, now: Date) {
  const identityKey = PublicKey.deserialize(bytesFromBase64(bundle.identityKey));
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
