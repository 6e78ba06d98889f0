import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecryptionFailedError } from '../crypto/aead';
import { Vault } from './vault';

describe('Vault', () => {
  const directories: string[] = [];
  const freshPath = () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-vault-'));
    directories.push(directory);
    return join(directory, 'vault.sqlite');
  };
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  it('commits staged writes together and shows nothing before commit', () => {
    const path = freshPath();
    const key = randomBytes(32);
    const vault = Vault.open(path, key);
    const transaction = vault.transaction();
    transaction.putJson('inbox', 'm1', { text: 'hello' });
    transaction.putJson('session', 'alice.1', { state: 1 });
    expect(transaction.getJson('inbox', 'm1')).toEqual({ text: 'hello' });
    expect(vault.read('inbox', 'm1')).toBeUndefined();
    transaction.commit();
    vault.close();

    const reopened = Vault.open(path, key);
    expect(reopened.list('inbox').map((value) => JSON.parse(value.toString()))).toEqual([{ text: 'hello' }]);
    expect(JSON.parse(reopened.read('session', 'alice.1')!.toString())).toEqual({ state: 1 });
    reopened.close();
  });

  it('loses an uncommitted transaction entirely', () => {
    const path = freshPath();
    const key = randomBytes(32);
    const vault = Vault.open(path, key);
    vault.transaction().putJson('inbox', 'lost', { text: 'never committed' });
    vault.close();
    const reopened = Vault.open(path, key);
    expect(reopened.count('inbox')).toBe(0);
    reopened.close();
  });

  it('keeps insertion order when an entry is rewritten', () => {
    const vault = Vault.open(freshPath(), randomBytes(32));
    const first = vault.transaction();
    first.putJson('outbox', 'a', { n: 1 });
    first.putJson('outbox', 'b', { n: 2 });
    first.commit();
    const second = vault.transaction();
    second.putJson('outbox', 'a', { n: 3 });
    second.commit();
    expect(vault.list('outbox').map((value) => JSON.parse(value.toString()).n)).toEqual([3, 2]);
    vault.close();
  });

  it('makes a lazily put value once, when it is read back or committed, and tells staged deletions', async () => {
    const path = freshPath();
    const key = randomBytes(32);
    const vault = Vault.open(path, key);
    let made = 0;
    const transaction = vault.transaction();
    transaction.putLazily('session', 'bob.1', () => {
      made += 1;
      return Buffer.from('second state');
    });
    transaction.putLazily('session', 'bob.1', () => {
      made += 1;
      return Buffer.from('third state');
    });
    expect(made).toBe(0);
    expect(Buffer.from(transaction.get('session', 'bob.1')!).toString()).toBe('third state');
    expect(made).toBe(1);
    expect(transaction.deletes('session', 'bob.1')).toBe(false);
    transaction.delete('session', 'carol.1');
    expect(transaction.deletes('session', 'carol.1')).toBe(true);
    await transaction.commit();
    expect(made).toBe(1);
    vault.close();
    const reopened = Vault.open(path, key);
    expect(reopened.read('session', 'bob.1')?.toString()).toBe('third state');
    reopened.close();
  });

  it('resolves a durable commit once it is on disk, and a relaxed one at once', async () => {
    const vault = Vault.open(freshPath(), randomBytes(32));
    const durable = vault.transaction();
    durable.putJson('inbox', 'a', { n: 1 });
    await durable.commit();
    const relaxed = vault.transaction();
    relaxed.delete('inbox', 'a');
    await relaxed.commit('relaxed');
    expect(vault.count('inbox')).toBe(0);
    await vault.synced();
    vault.close();
  });

  it('flushes the write-ahead log a durable commit waits for, also when the vault path is a symbolic link', async () => {
    const real = freshPath();
    const link = join(mkdtempSync(join(tmpdir(), 'parley-vault-link-')), 'vault.sqlite');
    directories.push(join(link, '..'));
    // SQLite follows the link and keeps the WAL beside the real file.
    Vault.open(real, randomBytes(32)).close();
    symlinkSync(real, link);
    let flushes = 0;
    const vault = Vault.open(link, randomBytes(32), {
      fsync: async () => {
        flushes += 1;
      },
    });
    const transaction = vault.transaction();
    transaction.putJson('inbox', 'a', { n: 1 });
    await transaction.commit();
    expect(flushes).toBe(1);
    vault.close();
  });

  it('stores neither plaintext values nor plaintext keys on disk', () => {
    const path = freshPath();
    const vault = Vault.open(path, randomBytes(32));
    const transaction = vault.transaction();
    transaction.putJson('contact', 'secret-contact-id', { name: 'a very secret plaintext' });
    transaction.commit();
    vault.close();
    const disk = Buffer.concat([readFileSync(path), readFileSync(`${path}-wal`, { flag: 'a+' })]).toString('latin1');
    expect(disk).not.toContain('very secret plaintext');
    expect(disk).not.toContain('secret-contact-id');
  });

  it('refuses to read with another key', () => {
    const path = freshPath();
    const vault = Vault.open(path, randomBytes(32));
    const transaction = vault.transaction();
    transaction.putJson('inbox', 'x', { text: 'y' });
    transaction.commit();
    vault.close();
    const wrong = Vault.open(path, randomBytes(32));
    expect(() => wrong.list('inbox')).toThrow(DecryptionFailedError);
    wrong.close();
  });

  it('keeps its lookup keys as HMAC-SHA-256 under the index key, so vaults written before still open', () => {
    const path = freshPath();
    const vaultKey = randomBytes(32);
    const vault = Vault.open(path, vaultKey);
    const transaction = vault.transaction();
    transaction.putJson('inbox', 'message:é', { text: 'y' });
    transaction.commit();
    vault.close();
    const indexKey = Buffer.from(hkdfSync('sha256', vaultKey, Buffer.alloc(0), 'parley vault index', 32));
    const expected = createHmac('sha256', indexKey).update('inbox\0message:é').digest().subarray(0, 16);
    const database = new Database(path, { readonly: true });
    const rows = database.prepare("SELECT key FROM entries WHERE collection = 'inbox'").all() as Array<{ key: Buffer }>;
    database.close();
    expect(rows.map((row) => row.key.toString('hex'))).toEqual([expected.toString('hex')]);
  });

  it('reads many keys at once: the committed values of those that have one', () => {
    const vault = Vault.open(freshPath(), randomBytes(32));
    const transaction = vault.transaction();
    const keys = Array.from({ length: 600 }, (_, index) => `envelope-${index}`);
    keys.forEach((key, index) => index % 3 === 0 && transaction.put('processed', key, Buffer.of(index % 2)));
    transaction.putJson('session', 'alice.1', { state: 1 });
    transaction.commit();
    const found = vault.readMany('processed', [...keys, 'envelope-0', 'never-seen']);
    expect([...found.keys()].sort()).toEqual(keys.filter((_, index) => index % 3 === 0).sort());
    expect(found.get('envelope-3')).toEqual(Buffer.of(1));
    expect(vault.readMany('session', ['alice.1', 'bob.1'])).toEqual(new Map([['alice.1', Buffer.from('{"state":1}')]]));
    vault.close();
  });
});
