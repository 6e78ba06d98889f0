import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAccount } from '../core/account/accountRecord';
import { openProfileVault } from '../core/profile/profileFiles';

const CLI_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
const PASSPHRASE = 'cli main passphrase';

/** A CLI profile registered (as far as the core can tell) on `serverUrl`; no server is contacted. */
async function registeredProfile(directory: string, serverUrl: string) {
  const vault = await openProfileVault(directory, PASSPHRASE, true);
  const transaction = vault.transaction();
  writeAccount(transaction, { serverUrl, accountId: 'account-a', deviceId: 1, username: 'ada', deviceSecret: 'secret', registeredAt: 0 });
  transaction.commit();
  vault.close();
}

/** `parley ARGS` as its own process; settles on exit, never contacts a server here. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    env: { ...process.env, PARLEY_PASSPHRASE: PASSPHRASE, PARLEY_PASSWORD: 'cli account password', PARLEY_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the CLI refuses http:// to another machine without --insecure', () => {
  const base = mkdtempSync(join(tmpdir(), 'parley-cli-main-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('register --server http://example.org: usage error (exit 2) naming --insecure, before the profile is made', async () => {
    const profileDir = join(base, 'register');
    const result = await runCli(['--profile', profileDir, '--server', 'http://example.org', 'register', 'ada']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing unencrypted http:\/\/example\.org.*--insecure/);
    expect(existsSync(profileDir)).toBe(false);
  });

  it('send on a profile registered on http://example.org: exit 1 naming --insecure', async () => {
    const profileDir = join(base, 'send');
    await registeredProfile(profileDir, 'http://example.org');
    const result = await runCli(['--profile', profileDir, 'send', 'bob', 'hi', '--timeout', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^parley: refusing unencrypted http:\/\/example\.org.*--insecure/);
    expect(result.stdout).toBe('');
  });
});
