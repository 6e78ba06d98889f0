import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { open, seal } from '../crypto/aead';
import { openProfileVault } from '../profile/profileFiles';
import { VaultInUseError } from '../vault/vault';
import {
  createVault,
  KeychainRefusedError,
  openVault,
  readProfileKey,
  unsealWithKeychain,
  unwrapWithPassword,
  WrongPasswordError,
  writeKeyFile,
} from './profileKeyFile';
import type { Keychain } from './vaultKeyProtection';

const folders: string[] = [];
const folder = () => {
  const made = join(mkdtempSync(join(tmpdir(), 'parley-host-key-')), 'profile');
  folders.push(made);
  return made;
};
afterEach(() => {
  for (const made of folders.splice(0)) rmSync(join(made, '..'), { recursive: true, force: true });
});

const keychain = (): Keychain => {
  const key = randomBytes(32);
  return { encrypt: (plain) => seal(key, plain, Buffer.of()), decrypt: (sealed) => open(key, sealed, Buffer.of()) };
};

describe('profile key files', () => {
  it('a profile without a key file is not registered, whatever else is in the folder', () => {
    const directory = folder();
    expect(readProfileKey(directory)).toEqual({ kind: 'none' });
    const { vault } = createVault(directory);
    vault.close();
    expect(readProfileKey(directory)).toEqual({ kind: 'none' });
    expect(statSync(directory).mode & 0o777).toBe(0o700);
  });

  it('wraps the vault key with the password in the command line’s format, with the username beside it', async () => {
    const directory = folder();
    const { vault, vaultKey } = createVault(directory);
    const transaction = vault.transaction();
    transaction.put('meta', 'probe', Buffer.from('kept'));
    transaction.commit();
    vault.close();
    await writeKeyFile(directory, vaultKey, { kind: 'password', password: 'a long password', username: 'alice' });

    const key = readProfileKey(directory);
    if (key.kind !== 'password') throw new Error(`expected a password key file, got ${key.kind}`);
    expect(key.file.username).toBe('alice');
    expect(readFileSync(join(directory, 'vault-key.json'), 'utf8')).not.toContain(vaultKey.toString('base64'));
    await expect(unwrapWithPassword(key.file, 'not the password')).rejects.toBeInstanceOf(WrongPasswordError);
    expect(await unwrapWithPassword(key.file, 'a long password')).toEqual(vaultKey);
    // `parley --profile` opens the same folder with the account password as its passphrase.
    const fromCommandLine = await openProfileVault(directory, 'a long password');
    expect(fromCommandLine.read('meta', 'probe')?.toString()).toBe('kept');
    fromCommandLine.close();
  });

  it('seals the vault key with the keychain; another keychain cannot open it', async () => {
    const directory = folder();
    const { vault, vaultKey } = createVault(directory);
    vault.close();
    const mine = keychain();
    await writeKeyFile(directory, vaultKey, { kind: 'keychain', keychain: mine });
    const key = readProfileKey(directory);
    if (key.kind !== 'keychain') throw new Error(`expected a keychain key file, got ${key.kind}`);
    expect(key.sealed.includes(vaultKey)).toBe(false);
    expect(unsealWithKeychain(key.sealed, mine)).toEqual(vaultKey);
    expect(() => unsealWithKeychain(key.sealed, keychain())).toThrow(KeychainRefusedError);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('removes a vault a failed registration left without a key file, but never one another process holds', async () => {
    const directory = folder();
    const first = createVault(directory);
    first.vault.close();
    const second = createVault(directory);
    expect(second.vaultKey).not.toEqual(first.vaultKey);
    expect(() => createVault(directory)).toThrow(VaultInUseError);
    expect(existsSync(join(directory, 'vault.sqlite'))).toBe(true);
    second.vault.close();
    const reopened = openVault(directory, second.vaultKey);
    reopened.close();
  });
});
