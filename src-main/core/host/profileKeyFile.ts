import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DecryptionFailedError } from '../crypto/aead';
import { unwrapKey, wrapKey, wrappedKeySchema } from '../crypto/passphraseKey';
import { KEY_FILE as PASSWORD_KEY_FILE, VAULT_FILE } from '../profile/profileFiles';
import { writeFileDurably } from '../util/durableFile';
import { Vault } from '../vault/vault';
import type { Keychain } from './vaultKeyProtection';

/**
 * A desktop profile folder: the vault, and its 32-byte key in one of two key files. The key
 * file is written last at registration, so "the profile is registered" means "a key file
 * exists". The password file has the command-line shell's format (plus the username, so a
 * locked profile can greet its owner), so `parley --profile` opens it with the account password.
 */
const KEYCHAIN_KEY_FILE = 'vault-key.keychain';

const passwordKeyFileSchema = wrappedKeySchema.extend({ username: z.string().max(100).optional() });
type PasswordKeyFile = z.infer<typeof passwordKeyFileSchema>;

export type ProfileKey =
  | { kind: 'none' }
  | { kind: 'password'; file: PasswordKeyFile }
  | { kind: 'keychain'; sealed: Buffer };

export class WrongPasswordError extends Error {
  constructor() {
    super('the password does not open this profile');
    this.name = 'WrongPasswordError';
  }
}

export class KeychainRefusedError extends Error {
  constructor(cause: unknown) {
    super("the system keychain cannot open this profile's key (was the profile copied from another user or machine?)", { cause });
    this.name = 'KeychainRefusedError';
  }
}

export class CorruptKeyFileError extends Error {
  constructor(path: string, cause: unknown) {
    super(`the profile's key file ${path} is damaged`, { cause });
    this.name = 'CorruptKeyFileError';
  }
}

export function readProfileKey(directory: string): ProfileKey {
  const keychainPath = join(directory, KEYCHAIN_KEY_FILE);
  if (existsSync(keychainPath)) return { kind: 'keychain', sealed: readFileSync(keychainPath) };
  const passwordPath = join(directory, PASSWORD_KEY_FILE);
  if (!existsSync(passwordPath)) return { kind: 'none' };
  try {
    return { kind: 'password', file: passwordKeyFileSchema.parse(JSON.parse(readFileSync(passwordPath, 'utf8'))) };
  } catch (error) {
    throw new CorruptKeyFileError(passwordPath, error);
  }
}

/** Throws WrongPasswordError. */
export async function unwrapWithPassword(file: PasswordKeyFile, password: string): Promise<Buffer> {
  try {
    return await unwrapKey(file, password);
  } catch (error) {
    if (error instanceof DecryptionFailedError) throw new WrongPasswordError();
    throw error;
  }
}

/** Throws KeychainRefusedError. */
export function unsealWithKeychain(sealed: Uint8Array, keychain: Keychain): Buffer {
  let plain: Uint8Array;
  try {
    plain = keychain.decrypt(sealed);
  } catch (error) {
    throw new KeychainRefusedError(error);
  }
  if (plain.length !== 32) throw new KeychainRefusedError(new Error('the unsealed key is not 32 bytes'));
  return Buffer.from(plain);
}

/** Throws VaultInUseError when another process has this profile open. */
export const openVault = (directory: string, vaultKey: Uint8Array) => Vault.open(join(directory, VAULT_FILE), vaultKey);

/**
 * A new, empty vault under a new random key, for a registration. A vault left behind by a
 * registration that never wrote its key file is unreadable without that key, so it is removed
 * (after taking its lock, so a vault another process holds is never touched).
 */
export function createVault(directory: string): { vault: Vault; vaultKey: Buffer } {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  chmodSync(directory, 0o700);
  if (existsSync(join(directory, VAULT_FILE))) {
    openVault(directory, randomBytes(32)).close();
    removeVault(directory);
  }
  const vaultKey = randomBytes(32);
  return { vault: openVault(directory, vaultKey), vaultKey };
}

/**
 * Removes a closed vault and the keys that open it: what a device ended from another device
 * leaves behind (A9). Nothing of the account stays readable in the folder.
 */
export function wipeProfileKeys(directory: string) {
  removeVault(directory);
  for (const file of [PASSWORD_KEY_FILE, KEYCHAIN_KEY_FILE]) rmSync(join(directory, file), { force: true });
}

/** Removes a closed vault's files (a registration that failed). */
export function removeVault(directory: string) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(join(directory, `${VAULT_FILE}${suffix}`), { force: true });
}

/** A3: the account's new @username in the password key file's greeting (the wrapped key is untouched). */
export function renameKeyFileOwner(directory: string, username: string) {
  const key = readProfileKey(directory);
  if (key.kind !== 'password') return;
  writeFileDurably(join(directory, PASSWORD_KEY_FILE), JSON.stringify({ ...key.file, username }));
}

/** The registration's last step: from now on the profile is registered. */
export async function writeKeyFile(
  directory: string,
  vaultKey: Uint8Array,
  protection: { kind: 'password'; password: string; username: string } | { kind: 'keychain'; keychain: Keychain },
) {
  if (protection.kind === 'keychain') {
    writeFileDurably(join(directory, KEYCHAIN_KEY_FILE), protection.keychain.encrypt(vaultKey));
    return;
  }
  const file: PasswordKeyFile = { ...(await wrapKey(vaultKey, protection.password)), username: protection.username };
  writeFileDurably(join(directory, PASSWORD_KEY_FILE), JSON.stringify(file));
}
