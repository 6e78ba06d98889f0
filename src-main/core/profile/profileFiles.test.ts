import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProfileVault, ProfileNotFoundError, WrongPassphraseError } from './profileFiles';
import { VaultInUseError } from '../vault/vault';

describe('profile files', () => {
  const directories: string[] = [];
  const fresh = () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-profile-'));
    directories.push(directory);
    return directory;
  };
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  it('opens with the passphrase it was created with, and only with it', async () => {
    const directory = fresh();
    const created = await openProfileVault(directory, 'right', true);
    const transaction = created.transaction();
    transaction.putJson('meta', 'probe', { ok: true });
    transaction.commit();
    created.close();
    await expect(openProfileVault(directory, 'wrong')).rejects.toBeInstanceOf(WrongPassphraseError);
    const reopened = await openProfileVault(directory, 'right');
    expect(reopened.transaction().getJson('meta', 'probe')).toEqual({ ok: true });
    reopened.close();
  });

  it('is not created unless asked', async () => {
    await expect(openProfileVault(join(fresh(), 'missing'), 'x')).rejects.toBeInstanceOf(ProfileNotFoundError);
  });

  it('is open in one place at a time', async () => {
    const directory = fresh();
    const first = await openProfileVault(directory, 'p', true);
    await expect(openProfileVault(directory, 'p')).rejects.toBeInstanceOf(VaultInUseError);
    first.close();
    const second = await openProfileVault(directory, 'p');
    second.close();
  });

  it('keeps its files private to the user', async () => {
    const directory = fresh();
    (await openProfileVault(directory, 'p', true)).close();
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    for (const file of ['vault.sqlite', 'vault-key.json']) expect(statSync(join(directory, file)).mode & 0o777).toBe(0o600);
  });

  it('refuses an empty passphrase', async () => {
    await expect(openProfileVault(fresh(), '', true)).rejects.toBeInstanceOf(WrongPassphraseError);
  });
});
