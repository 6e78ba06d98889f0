import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BridgeHost } from '../bridge/bridgeHost';
import { writeAccount } from '../account/accountRecord';
import { InsecureTransportError } from '../api/serverTransport';
import { VAULT_FILE } from '../profile/profileFiles';
import { openBridgeHost, type BridgeHostOptions, type Keychain } from './openBridgeHost';
import { createVault, writeKeyFile } from './profileKeyFile';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const PASSWORD = 'a long enough password';
/** Another machine: register's requests to it are stubbed. */
const REMOTE = 'http://example.org';
/** Another machine that never resolves (RFC 6761), for a started core's connection attempts. */
const UNRESOLVABLE = 'http://parley.invalid';

/** Seals by XOR with a random pad: enough to stand in for the OS keychain here. */
function fakeKeychain(): Keychain {
  const pad = randomBytes(64);
  const xor = (bytes: Uint8Array) => Uint8Array.from(bytes, (byte, index) => byte ^ pad[index % pad.length]!);
  return { encrypt: xor, decrypt: xor };
}

describe('openBridgeHost and the server transport (--insecure)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    vi.unstubAllGlobals();
  });

  function profileDir() {
    const directory = mkdtempSync(join(tmpdir(), 'parley-host-transport-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    return directory;
  }

  async function open(options: Partial<BridgeHostOptions> & Pick<BridgeHostOptions, 'profileDir' | 'serverUrl'>): Promise<BridgeHost> {
    const host = await openBridgeHost({ keyProtection: { kind: 'password' }, clock: { now: () => Date.now() }, logger: silent, ...options });
    cleanups.push(() => host.close());
    return host;
  }

  /** A keychain profile registered (as far as the host can tell) on `serverUrl`, without a server. */
  async function keychainProfile(serverUrl: string, keychain: Keychain) {
    const directory = profileDir();
    const { vault, vaultKey } = createVault(directory);
    const transaction = vault.transaction();
    writeAccount(transaction, { serverUrl, accountId: 'account-a', deviceId: 1, username: 'ada', deviceSecret: 'secret', registeredAt: 0 });
    transaction.commit();
    vault.close();
    await writeKeyFile(directory, vaultKey, { kind: 'keychain', keychain });
    return directory;
  }

  it('register on http:// to another machine: refused before any request without allowInsecureTransport, sent with it', async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError('fetch failed')));
    vi.stubGlobal('fetch', fetch);

    const refusedDir = profileDir();
    const refused = await open({ profileDir: refusedDir, serverUrl: REMOTE });
    const refusal = await refused.implementation.account.register({ username: 'ada', password: PASSWORD });
    // An expected failure, answered as a value naming the flag (hostErrors), never as internal.
    expect(refusal).toEqual({ ok: false, error: { code: 'unreachable', message: expect.stringContaining('--insecure') } });
    expect(fetch).not.toHaveBeenCalled();
    expect(existsSync(join(refusedDir, VAULT_FILE))).toBe(false);

    const allowed = await open({ profileDir: profileDir(), serverUrl: REMOTE, allowInsecureTransport: true });
    // Past the transport check: the request goes out, and the (stubbed) network fails it.
    expect(await allowed.implementation.account.register({ username: 'ada', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'unreachable' },
    });
    expect(fetch).toHaveBeenCalledOnce();
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toMatch(/^http:\/\/example\.org\//);
  });

  it("signing in to a profile whose server is http:// to another machine: refused without allowInsecureTransport, the core started with it", async () => {
    const keychain = fakeKeychain();
    const directory = await keychainProfile(UNRESOLVABLE, keychain);
    const keyProtection = { kind: 'keychain', keychain } as const;
    await expect(open({ profileDir: directory, serverUrl: UNRESOLVABLE, keyProtection })).rejects.toThrow(InsecureTransportError);

    const host = await open({ profileDir: directory, serverUrl: UNRESOLVABLE, keyProtection, allowInsecureTransport: true });
    expect(await host.implementation.account.getState({})).toMatchObject({ ok: true, value: { status: 'signed_in' } });
  });

  it('needs no flag for this machine over http://', async () => {
    const keychain = fakeKeychain();
    const directory = await keychainProfile('http://127.0.0.1:9', keychain);
    const host = await open({ profileDir: directory, serverUrl: 'http://127.0.0.1:9', keyProtection: { kind: 'keychain', keychain } });
    expect(await host.implementation.account.getState({})).toMatchObject({ ok: true, value: { status: 'signed_in' } });
  });
});
