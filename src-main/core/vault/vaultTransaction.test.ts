import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Vault } from './vault';

describe('VaultTransaction.prefetch', () => {
  const directories: string[] = [];
  const freshVault = () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-transaction-'));
    directories.push(directory);
    return Vault.open(join(directory, 'vault.sqlite'), randomBytes(32));
  };
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  it('answers get() from what it read ahead, and staged writes before that', () => {
    const vault = freshVault();
    const before = vault.transaction();
    before.put('processed', 'a', Buffer.of(1));
    before.commit();
    const transaction = vault.transaction();
    transaction.prefetch('processed', ['a', 'b', 'c']);
    transaction.put('processed', 'c', Buffer.of(0));
    expect(transaction.get('processed', 'a')).toEqual(Buffer.of(1));
    expect(transaction.get('processed', 'b')).toBeUndefined();
    expect(Buffer.from(transaction.get('processed', 'c')!)).toEqual(Buffer.of(0));
    vault.close();
  });

  it('does not answer from a value read ahead once another commit has written the collection', () => {
    const vault = freshVault();
    const transaction = vault.transaction();
    transaction.prefetch('processed', ['a', 'b']);
    const other = vault.transaction();
    other.put('processed', 'a', Buffer.of(1));
    other.commit();
    expect(transaction.get('processed', 'a')).toEqual(Buffer.of(1));
    const deletion = vault.transaction();
    deletion.delete('processed', 'a');
    deletion.commit();
    expect(transaction.get('processed', 'a')).toBeUndefined();
    vault.close();
  });

  it('is not fooled by a pruning since either', () => {
    const vault = freshVault();
    const first = vault.transaction();
    first.put('processed', 'old', Buffer.of(1), 5);
    first.commit();
    const transaction = vault.transaction();
    transaction.prefetch('processed', ['old']);
    vault.deleteOlderThan('processed', 10);
    expect(transaction.get('processed', 'old')).toBeUndefined();
    vault.close();
  });
});
