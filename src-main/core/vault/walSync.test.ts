import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalSync } from './walSync';

/** An fsync the test finishes by hand, counting calls. */
function manualFsync() {
  const calls: Array<{ finish: (error?: Error) => void }> = [];
  const fsync = () =>
    new Promise<void>((resolve, reject) => {
      calls.push({ finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { calls, fsync };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WalSync', () => {
  const directories: string[] = [];
  const walFile = () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-walsync-'));
    directories.push(directory);
    const path = join(directory, 'vault.sqlite-wal');
    writeFileSync(path, 'frames');
    return path;
  };
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  it('makes many commits durable with one fsync, and waits for none when nothing was committed', async () => {
    const { calls, fsync } = manualFsync();
    const sync = new WalSync({ walPath: walFile(), fsync });
    await sync.synced();
    expect(calls).toHaveLength(0);

    for (let commit = 0; commit < 50; commit += 1) sync.noteCommit();
    let resolved = 0;
    const waiters = Array.from({ length: 50 }, () => sync.synced().then(() => (resolved += 1)));
    await settle();
    expect(calls).toHaveLength(1);
    expect(resolved).toBe(0);
    calls[0]!.finish();
    await Promise.all(waiters);
    expect(resolved).toBe(50);
    expect(calls).toHaveLength(1);
    sync.closedDatabase();
  });

  it('does not let an fsync that started before a commit vouch for it', async () => {
    const { calls, fsync } = manualFsync();
    const sync = new WalSync({ walPath: walFile(), fsync });
    sync.noteCommit();
    const first = sync.synced();
    await settle();
    sync.noteCommit(); // written while the first fsync runs
    let secondDone = false;
    const second = sync.synced().then(() => (secondDone = true));
    calls[0]!.finish();
    await first;
    await settle();
    expect(secondDone).toBe(false);
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await second;
    expect(secondDone).toBe(true);
    sync.closedDatabase();
  });

  it('rejects for good once an fsync has failed', async () => {
    const { calls, fsync } = manualFsync();
    const sync = new WalSync({ walPath: walFile(), fsync });
    sync.noteCommit();
    const failing = sync.synced();
    await settle();
    calls[0]!.finish(new Error('EIO'));
    await expect(failing).rejects.toThrow('EIO');
    sync.noteCommit();
    await expect(sync.synced()).rejects.toThrow('EIO');
    expect(() => sync.syncedNow()).toThrow('EIO');
    expect(calls).toHaveLength(1);
    sync.closedDatabase();
  });

  it('stays failed after the database is closed', async () => {
    const { calls, fsync } = manualFsync();
    const sync = new WalSync({ walPath: walFile(), fsync });
    sync.noteCommit();
    const failing = sync.synced();
    await settle();
    calls[0]!.finish(new Error('EIO'));
    await expect(failing).rejects.toThrow('EIO');
    sync.closedDatabase();
    await expect(sync.synced()).rejects.toThrow('EIO');
  });

  it('counts every commit as durable once the database is closed (its close checkpoints and syncs)', async () => {
    const { calls, fsync } = manualFsync();
    const sync = new WalSync({ walPath: walFile(), fsync });
    sync.noteCommit();
    const waiting = sync.synced();
    await settle();
    sync.noteCommit();
    sync.closedDatabase();
    calls[0]!.finish();
    await waiting;
    await sync.synced();
    expect(calls).toHaveLength(1);
  });

  it('syncs at once when asked to block, and needs no file before the first write', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-walsync-'));
    directories.push(directory);
    const { calls, fsync } = manualFsync();
    const sync = new WalSync({ walPath: join(directory, 'absent-wal'), fsync });
    sync.noteCommit();
    await sync.synced(); // no WAL yet: nothing was written that could be lost
    expect(calls).toHaveLength(0);
    const real = new WalSync({ walPath: walFile() });
    real.noteCommit();
    real.syncedNow();
    await real.synced();
    real.closedDatabase();
  });
});
