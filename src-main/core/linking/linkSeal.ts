import { createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { DecryptionFailedError, open, seal } from '../crypto/aead';

const INFO = Buffer.from('parley device link v1');
const ASSOCIATED = Buffer.from('parley provisioning message');

/** An X25519 key pair that lives only in memory, for one link code. */
export type LinkKeyPair = { privateKey: KeyObject; publicKey: string };

const rawPublic = (key: KeyObject) => {
  const { x } = key.export({ format: 'jwk' });
  if (!x) throw new Error('an X25519 key without its public part');
  return x;
};
const importPublic = (x: string) => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });

export function newLinkKeyPair(): LinkKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublic(publicKey) };
}

/** Both public keys go into the key derivation, so a blob is bound to the code it answers. */
function sharedKey(privateKey: KeyObject, theirs: string, senderPublic: string, recipientPublic: string): Buffer {
  const secret = diffieHellman({ privateKey, publicKey: importPublic(theirs) });
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from(`${senderPublic}.${recipientPublic}`), INFO, 32));
}

/**
 * Seals `plaintext` to a link code's public key (ECIES: a fresh X25519 key of the sender's,
 * ECDH, HKDF-SHA256, AES-256-GCM). Only the holder of the code's private key can open it.
 */
export function sealToLinkKey(recipientPublic: string, plaintext: Uint8Array): string {
  const sender = newLinkKeyPair();
  const key = sharedKey(sender.privateKey, recipientPublic, sender.publicKey, recipientPublic);
  return Buffer.concat([Buffer.from(sender.publicKey, 'base64url'), seal(key, plaintext, ASSOCIATED)]).toString('base64');
}

/** Opens a sealed blob with the code's private key; throws DecryptionFailedError when it was not sealed to it or was altered. */
export function openWithLinkKey(keys: LinkKeyPair, sealedBase64: string): Buffer {
  const bytes = Buffer.from(sealedBase64, 'base64');
  if (bytes.length < 33) throw new DecryptionFailedError();
  const senderPublic = bytes.subarray(0, 32).toString('base64url');
  let key: Buffer;
  try {
    key = sharedKey(keys.privateKey, senderPublic, senderPublic, keys.publicKey);
  } catch {
    throw new DecryptionFailedError(); // not a valid X25519 point
  }
  return open(key, bytes.subarray(32), ASSOCIATED);
}
