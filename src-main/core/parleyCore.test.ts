import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAccount, type AccountRecord } from './account/accountRecord';
import { InsecureTransportError } from './api/serverTransport';
import { ParleyCore } from './parleyCore';
import { Vault } from './vault/vault';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const clock = { now: () => 1_700_000_000_000 };

describe('ParleyCore.open and the server transport', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  /** A vault registered (as far as the core can tell) on `serverUrl`; no server is contacted. */
  function registeredVault(serverUrl: string): Vault {
    const directory = mkdtempSync(join(tmpdir(), 'parley-core-transport-'));
    const vault = Vault.open(join(directory, 'vault.sqlite'), randomBytes(32));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    cleanups.push(() => vault.close());
    const account: AccountRecord = { serverUrl, accountId: 'account-a', deviceId: 1, username: 'ada', deviceSecret: 'secret', registeredAt: 0 };
    const transaction = vault.transaction();
    writeAccount(transaction, account);
    transaction.commit();
    return vault;
  }

  it('refuses an account on http:// to another machine without allowInsecureTransport, naming --insecure', () => {
    const vault = registeredVault('http://example.org');
    expect(() => ParleyCore.open({ vault, clock, logger: silent })).toThrow(InsecureTransportError);
    expect(() => ParleyCore.open({ vault, clock, logger: silent, allowInsecureTransport: false })).toThrow('--insecure');
  });

  it('opens it with allowInsecureTransport (the API and the connection both get the option)', () => {
    const vault = registeredVault('http://example.org');
    const core = ParleyCore.open({ vault, clock, logger: silent, allowInsecureTransport: true });
    expect(core.account.serverUrl).toBe('http://example.org');
    expect(core.connectionState).toBe('closed');
  });

  it('opens https:// and this machine over http:// without it', () => {
    for (const serverUrl of ['https://example.org', 'http://127.0.0.1:7180', 'http://localhost:7180']) {
      expect(ParleyCore.open({ vault: registeredVault(serverUrl), clock, logger: silent }).account.serverUrl).toBe(serverUrl);
    }
  });
});

describe('ParleyCore.sendText', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  it('puts the messages of one turn in the outbox with one commit, each resolving only once it is on disk', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-core-send-'));
    directories.push(directory);
    const flushes: Array<() => void> = [];
    // The first fsync waits for the test; later ones (the profile-key share each first message to
    // someone records, see OwnProfile.shareWith) go through, so the core can stop.
    let holding = true;
    const vault = Vault.open(join(directory, 'vault.sqlite'), randomBytes(32), {
      fsync: () => (holding ? new Promise<void>((resolve) => flushes.push(resolve)) : Promise.resolve()),
    });
    const account: AccountRecord = { serverUrl: 'http://127.0.0.1:1', accountId: 'account-a', deviceId: 1, username: 'ada', deviceSecret: 'secret', registeredAt: 0 };
    const transaction = vault.transaction();
    writeAccount(transaction, account);
    transaction.commitNow();
    const core = ParleyCore.open({ vault, clock, logger: silent });
    const resolved: string[] = [];
    const sends = ['one', 'two', 'three'].map((text) => core.sendText({ accountId: 'account-b' }, text).then(() => resolved.push(text)));
    while (flushes.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(core.outboxSize).toBe(3);
    expect(vault.writesTo('outbox')).toBe(1); // one commit for the three
    expect(resolved).toEqual([]);
    holding = false;
    flushes.shift()!();
    await Promise.all(sends);
    expect(resolved).toEqual(['one', 'two', 'three']);
    await core.stop();
    vault.close();
  });
});

