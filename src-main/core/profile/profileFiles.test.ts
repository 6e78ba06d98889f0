import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProfileVault, ProfileNotFoundError, WrongPassphraseError } from './profileFiles';
import { ProfileInUseError } from './profileLock';

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

  it('is open in one process at a time, and a stale lock is taken over', async () => {
    const directory = fresh();
    const first = await openProfileVault(directory, 'p', true);
    await expect(openProfileVault(directory, 'p')).rejects.toBeInstanceOf(ProfileInUseError);
    first.close();
    const second = await openProfileVault(directory, 'p');
    second.close();
    writeFileSync(join(directory, 'profile.lock'), '999999999'); // no such process
    const third = await openProfileVault(directory, 'p');
    third.close();
  });
});
