import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoalescedCommit } from './coalescedCommit';
import { Vault } from './vault';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedCommit', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  function vaultWithManualDisk() {
    const directory = mkdtempSync(join(tmpdir(), 'parley-coalesced-'));
    directories.push(directory);
    const flushes: Array<() => void> = [];
    const vault = Vault.open(join(directory, 'vault.sqlite'), randomBytes(32), {
      fsync: () => new Promise<void>((resolve) => flushes.push(resolve)),
    });
    return { vault, flushes };
  }

  it('commits the writes of one turn once, in order, and resolves each only once that commit is on disk', async () => {
    const { vault, flushes } = vaultWithManualDisk();
    let committed = 0;
    const coalesced = new CoalescedCommit(vault, () => (committed += 1));
    let resolved = 0;
    const writes = ['a', 'b', 'c'].map((key) => coalesced.write((transaction) => transaction.putJson('outbox', key, { key })).then(() => (resolved += 1)));
    expect(vault.count('outbox')).toBe(0);
    while (flushes.length === 0) await turn();
    expect(committed).toBe(1);
    expect(vault.list('outbox').map((value) => JSON.parse(value.toString()).key)).toEqual(['a', 'b', 'c']);
    await turn();
    expect(resolved).toBe(0); // written, not yet on disk
    flushes.shift()!();
    await Promise.all(writes);
    expect(resolved).toBe(3);
    const later = coalesced.write((transaction) => transaction.putJson('outbox', 'd', { key: 'd' }));
    while (flushes.length === 0) await turn();
    flushes.shift()!();
    await later;
    expect(committed).toBe(2);
    vault.close();
  });

  it('rejects every write of a commit that failed, and has written none of them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-coalesced-'));
    directories.push(directory);
    const [path, key] = [join(directory, 'vault.sqlite'), randomBytes(32)];
    const vault = Vault.open(path, key);
    const coalesced = new CoalescedCommit(vault);
    const first = coalesced.write((transaction) => transaction.putJson('outbox', 'a', { key: 'a' }));
    const second = coalesced.write((transaction) => transaction.putJson('outbox', 'b', { key: 'b' }));
    vault.close(); // the commit, on the next turn, cannot be written
    await expect(first).rejects.toThrow();
    await expect(second).rejects.toThrow();
    const reopened = Vault.open(path, key);
    expect(reopened.count('outbox')).toBe(0);
    reopened.close();
  });
});
