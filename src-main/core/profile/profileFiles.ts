import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptionFailedError } from '../crypto/aead';
import { unwrapKey, wrapKey, wrappedKeySchema } from '../crypto/passphraseKey';
import { Vault } from '../vault/vault';
import { lockProfile } from './profileLock';

/**
 * A profile folder as the command-line and test shells keep it: the vault, and the vault key
 * wrapped by a key derived from the passphrase. (The Electron shell wraps the same vault key
 * with the OS keychain instead.) Nothing in the folder is readable without the passphrase.
 */
const VAULT_FILE = 'vault.sqlite';
const KEY_FILE = 'vault-key.json';

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
 * The profile stays locked to this process until the vault is closed.
 */
export async function openProfileVault(directory: string, passphrase: string, create = false): Promise<Vault> {
  const keyPath = join(directory, KEY_FILE);
  if (!existsSync(keyPath) && !create) throw new ProfileNotFoundError(directory);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const unlock = lockProfile(directory);
  try {
    let vaultKey: Buffer;
    if (!existsSync(keyPath)) {
      vaultKey = randomBytes(32);
      writeFileSync(keyPath, JSON.stringify(await wrapKey(vaultKey, passphrase)), { mode: 0o600, flag: 'wx' });
    } else {
      const wrapped = wrappedKeySchema.parse(JSON.parse(readFileSync(keyPath, 'utf8')));
      try {
        vaultKey = await unwrapKey(wrapped, passphrase);
      } catch (error) {
        if (error instanceof DecryptionFailedError) throw new WrongPassphraseError();
        throw error;
      }
    }
    return Vault.open(join(directory, VAULT_FILE), vaultKey, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}
