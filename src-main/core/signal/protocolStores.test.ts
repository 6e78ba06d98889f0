import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Direction, IdentityChange, IdentityKeyPair, ProtocolAddress } from '@signalapp/libsignal-client';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAccount, type AccountRecord } from '../account/accountRecord';
import { Vault } from '../vault/vault';
import { generateIdentity } from './deviceKeys';
import { writeLocalKeys } from './localKeys';
import { protocolStores } from './protocolStores';

describe('protocolStores: identities parsed once per transaction, never stale', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  function registeredVault() {
    const directory = mkdtempSync(join(tmpdir(), 'parley-stores-'));
    directories.push(directory);
    const vault = Vault.open(join(directory, 'vault.sqlite'), randomBytes(32));
    const account: AccountRecord = { serverUrl: 'http://127.0.0.1:1', accountId: randomUUID(), deviceId: 1, username: 'me', deviceSecret: 'x', registeredAt: 0 };
    const transaction = vault.transaction();
    writeLocalKeys(transaction, generateIdentity(0));
    writeAccount(transaction, account);
    transaction.commit();
    return { vault, account };
  }
  const peer = ProtocolAddress.new(randomUUID(), 1);
  const serialized = (key: { serialize(): Uint8Array }) => Buffer.from(key.serialize()).toString('hex');

  it('counts a record of its own that will not parse as a local fault, so the batch fails instead of acking the message', async () => {
    const { vault } = registeredVault();
    const transaction = vault.transaction();
    transaction.put('meta', 'localKeys', Buffer.from('{ not json'));
    const stores = protocolStores(transaction, () => 1);
    await expect(stores.identity.getIdentityKeyPair()).rejects.toThrow(SyntaxError);
    expect(stores.localFault.error).toBeInstanceOf(SyntaxError);
    vault.close();
  });

  it('sees a peer key saved earlier in the same transaction', async () => {
    const { vault } = registeredVault();
    const stores = protocolStores(vault.transaction(), () => 1);
    const [first, second] = [IdentityKeyPair.generate().publicKey, IdentityKeyPair.generate().publicKey];
    expect(await stores.identity.saveIdentity(peer, first)).toBe(IdentityChange.NewOrUnchanged);
    expect(await stores.identity.saveIdentity(peer, first)).toBe(IdentityChange.NewOrUnchanged);
    expect(await stores.identity.saveIdentity(peer, second)).toBe(IdentityChange.ReplacedExisting);
    expect(serialized((await stores.identity.getIdentity(peer))!)).toBe(serialized(second));
    vault.close();
  });

  it('does not carry a peer key parsed in one transaction over another transaction that changed it', async () => {
    const { vault } = registeredVault();
    const [first, second] = [IdentityKeyPair.generate().publicKey, IdentityKeyPair.generate().publicKey];
    const saving = vault.transaction();
    await protocolStores(saving, () => 1).identity.saveIdentity(peer, first);
    saving.commit();
    const earlier = protocolStores(vault.transaction(), () => 2);
    expect(serialized((await earlier.identity.getIdentity(peer))!)).toBe(serialized(first));
    const changing = vault.transaction();
    expect(await protocolStores(changing, () => 3).identity.saveIdentity(peer, second)).toBe(IdentityChange.ReplacedExisting);
    changing.commit();
    expect(serialized((await earlier.identity.getIdentity(peer))!)).toBe(serialized(second));
    expect(serialized((await protocolStores(vault.transaction(), () => 4).identity.getIdentity(peer))!)).toBe(serialized(second));
    vault.close();
  });

  it('uses my identity key pair as it stands in the transaction, and trusts only it for my own account', async () => {
    const { vault, account } = registeredVault();
    const transaction = vault.transaction();
    const stores = protocolStores(transaction, () => 1);
    const before = await stores.identity.getIdentityKeyPair();
    const mine = ProtocolAddress.new(account.accountId, 2);
    expect(await stores.identity.isTrustedIdentity(mine, before.publicKey, Direction.Receiving)).toBe(true);
    const replaced = generateIdentity(0);
    writeLocalKeys(transaction, replaced);
    const after = await stores.identity.getIdentityKeyPair();
    expect(serialized(after.publicKey)).not.toBe(serialized(before.publicKey));
    expect(await stores.identity.getLocalRegistrationId()).toBe(replaced.registrationId);
    expect(await stores.identity.isTrustedIdentity(mine, before.publicKey, Direction.Receiving)).toBe(false);
    expect(await stores.identity.isTrustedIdentity(mine, after.publicKey, Direction.Receiving)).toBe(true);
    expect(await stores.identity.isTrustedIdentity(peer, before.publicKey, Direction.Receiving)).toBe(true);
    vault.close();
  });
});
