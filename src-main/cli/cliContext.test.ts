import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeAccount } from '../core/account/accountRecord';
import { InsecureTransportError } from '../core/api/serverTransport';
import { openProfileVault } from '../core/profile/profileFiles';
import { openCore } from './cliContext';

const PASSPHRASE = 'cli test passphrase';

/** A CLI profile registered (as far as the core can tell) on `serverUrl`; no server is contacted. */
async function registeredProfile(directory: string, serverUrl: string) {
  const vault = await openProfileVault(directory, PASSPHRASE, true);
  const transaction = vault.transaction();
  writeAccount(transaction, { serverUrl, accountId: 'account-a', deviceId: 1, username: 'ada', deviceSecret: 'secret', registeredAt: 0 });
  transaction.commit();
  vault.close();
}

describe('openCore and --insecure', () => {
  const directories: string[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  async function profile(serverUrl: string) {
    const directory = mkdtempSync(join(tmpdir(), 'parley-cli-context-'));
    directories.push(directory);
    await registeredProfile(directory, serverUrl);
    vi.stubEnv('PARLEY_PASSPHRASE', PASSPHRASE);
    return directory;
  }

  it('refuses a profile on http:// to another machine without --insecure, and closes its vault', async () => {
    const directory = await profile('http://example.org');
    await expect(openCore(directory, false)).rejects.toThrow(InsecureTransportError);
    await expect(openCore(directory, false)).rejects.toThrow('--insecure'); // the vault was closed: no VaultInUseError
  });

  it('opens it with --insecure', async () => {
    const directory = await profile('http://example.org');
    const { core, close } = await openCore(directory, true);
    expect(core.account.serverUrl).toBe('http://example.org');
    await close();
  });

  it('opens a profile on this machine over http:// without --insecure', async () => {
    const { close } = await openCore(await profile('http://127.0.0.1:9'), false);
    await close();
  });
});
