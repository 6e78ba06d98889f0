import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptionFailedError } from '../crypto/aead';
import { unwrapKey, wrapKey, wrappedKeySchema } from '../crypto/passphraseKey';
import { writeFileDurably } from '../util/durableFile';
import { Vault } from '../vault/vault';

/**
 * A profile folder as the command-line and test shells keep it: the vault, and the vault key
 * wrapped by a key derived from the passphrase. (The Electron shell wraps the same vault key
 * with the OS keychain instead.) Nothing in the folder is readable without the passphrase.
 */
export const VAULT_FILE = 'vault.sqlite';
/** The vault key wrapped by a passphrase-derived key (the desktop shells' password file is this format too). */
export const KEY_FILE = 'vault-key.json';

export class WrongPassphraseError extends Error {
  constructor() {
    super('the passphrase does not open this profile');
    this.name = 'WrongPassphraseError';
  }
}

export class ProfileNotFoundError extends Error {
  constructor(directory: string) {
    super(`no Parley profile in ${directory}: register first`);
    this.name = 'ProfileNotFoundError';
  }
}

export const profileExists = (directory: string) => existsSync(join(directory, KEY_FILE));

/**
 * Opens the profile's vault, creating the profile when `create` is set and it does not exist.
 * The vault stays locked to this process until it is closed (VaultInUseError otherwise).
 */
export async function openProfileVault(directory: string, passphrase: string, create = false): Promise<Vault> {
  if (passphrase.length === 0) throw new WrongPassphraseError();
  const keyPath = join(directory, KEY_FILE);
  if (!existsSync(keyPath)) {
    if (!create) throw new ProfileNotFoundError(directory);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    chmodSync(directory, 0o700);
    const vaultKey = randomBytes(32);
    const vault = Vault.open(join(directory, VAULT_FILE), vaultKey); // locks first: a racing creator fails here
    try {
      writeFileDurably(keyPath, JSON.stringify(await wrapKey(vaultKey, passphrase)));
    } catch (error) {
      vault.close();
      throw error;
    }
    return vault;
  }
  const wrapped = wrappedKeySchema.parse(JSON.parse(readFileSync(keyPath, 'utf8')));
  let vaultKey: Buffer;
  try {
    vaultKey = await unwrapKey(wrapped, passphrase);
  } catch (error) {
    if (error instanceof DecryptionFailedError) throw new WrongPassphraseError();
    throw error;
  }
  return Vault.open(join(directory, VAULT_FILE), vaultKey);
}
