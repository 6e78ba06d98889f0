import { KEMPublicKey, PublicKey } from '@signalapp/libsignal-client';
import type { KyberPreKey, PreKey, SignedPreKey } from '../../src-shared/protocol/keys';
import { ServiceError } from './serviceError';

/** The keys of a registration, a linked device or a prekey upload; every part optional. */
export type PublishedKeys = {
  signedPreKey?: SignedPreKey;
  kyberLastResortPreKey?: KyberPreKey;
  kyberPreKeys?: readonly KyberPreKey[];
  preKeys?: readonly PreKey[];
};

// libsignal wants bytes on an ArrayBuffer of their own, not on Node's shared Buffer pool.
const bytesOf = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

function parses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks published keys before anything is stored: every key must be a well-formed libsignal
 * public key (EC or Kyber-1024), and every signed one must carry the signature of `identityKey`
 * (XEdDSA over the serialized public key exactly as sent, which is how
 * src-main/core/signal/deviceKeys.ts signs them). A sender's libsignal refuses a bundle whose
 * signature fails, so a bad key stored here would only break every session started with it.
 * Throws `bad_request` for bytes that are not a key and `invalid_signature` for a signature that
 * does not verify; never anything else. The only place the server touches libsignal.
 */
export function verifyPublishedKeys(identityKey: string, keys: PublishedKeys): void {
  let identity: PublicKey;
  try {
    identity = PublicKey.deserialize(bytesOf(identityKey));
  } catch {
    throw new ServiceError('bad_request', 'the identity key is not a public key');
  }
  const signedBy = (publicKey: string, signature: string) => {
    try {
      return identity.verify(bytesOf(publicKey), bytesOf(signature));
    } catch {
      return false;
    }
  };

  if (keys.signedPreKey) {
    const { publicKey, signature } = keys.signedPreKey;
    if (!parses(() => PublicKey.deserialize(bytesOf(publicKey)))) throw new ServiceError('bad_request', 'the signed prekey is not a public key');
    if (!signedBy(publicKey, signature)) {
      throw new ServiceError('invalid_signature', "the signed prekey's signature does not verify against the identity key");
    }
  }
  const kyberKeys = [
    ...(keys.kyberLastResortPreKey ? [{ key: keys.kyberLastResortPreKey, name: 'the Kyber last-resort prekey' }] : []),
    ...(keys.kyberPreKeys ?? []).map((key) => ({ key, name: `Kyber prekey ${key.keyId}` })),
  ];
  for (const { key, name } of kyberKeys) {
    if (!parses(() => KEMPublicKey.deserialize(bytesOf(key.publicKey)))) throw new ServiceError('bad_request', `${name} is not a Kyber public key`);
    if (!signedBy(key.publicKey, key.signature)) {
      throw new ServiceError('invalid_signature', `the signature of ${name} does not verify against the identity key`);
    }
  }
  for (const key of keys.preKeys ?? []) {
    if (!parses(() => PublicKey.deserialize(bytesOf(key.publicKey)))) throw new ServiceError('bad_request', `prekey ${key.keyId} is not a public key`);
  }
}
