import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeychainRefusedError } from '../src-main/core/host/profileKeyFile';
import { KeychainProfileError } from '../src-main/core/host/profileSession';
import { VaultInUseError } from '../src-main/core/vault/vault';
import { LIMITS } from '../src-shared/domain/limits';
import type { VaultKeyProtection } from '../src-main/core/host/openBridgeHost';
import type { AccountState, AccountSummary } from '../src-shared/ipc/account';
import type { TypingChange } from '../src-shared/ipc/messaging';
import { testBackends } from '../src-server/testing/backends';
import { inboxItem, nextEvent, openHost, testKeychain, valueOf, type HostUnderTest } from './bridgeHostFixture';
import { useServerPerTest } from './harness/serverFixture';

const PASSWORD = 'a long enough password';

describe.each(testBackends())('the bridge host over a real server on $name', (backend) => {
  const fixture = useServerPerTest(backend);
  const opened: HostUnderTest[] = [];

  // Registered after useServerPerTest's hooks, so it runs before them: hosts close before the server.
  afterEach(async () => {
    for (const underTest of opened.splice(0)) await underTest.host.close();
  });

  /** A host on a profile folder (a fresh one unless given); closed after the test unless closed before. */
  async function host(profileDir = fixture.directories.make('host-profile'), keyProtection: VaultKeyProtection = { kind: 'password' }) {
    const underTest = await openHost(profileDir, fixture.server.url, keyProtection);
    opened.push(underTest);
    return underTest;
  }

  async function close(underTest: HostUnderTest) {
    opened.splice(opened.indexOf(underTest), 1);
    await underTest.host.close();
  }

  async function registered(username: string): Promise<HostUnderTest & { account: AccountSummary }> {
    const underTest = await host();
    return { ...underTest, account: valueOf(await underTest.bridge.account.register({ username, password: PASSWORD })) };
  }

  it('registers two accounts that find each other, exchange messages, and see delivered and read receipts', async () => {
    const alice = await host();
    expect(valueOf(await alice.bridge.account.getState({}))).toEqual({ status: 'signed_out' });
    expect(await alice.bridge.account.historyKey({})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    const signedIn = nextEvent<AccountState>(alice.bridge.account.onDidChangeState);
    const aliceAccount = valueOf(await alice.bridge.account.register({ username: '@Alice', password: PASSWORD }));
    expect(aliceAccount).toMatchObject({ username: 'alice', deviceId: 1 });
    expect(await signedIn).toEqual({ status: 'signed_in', account: aliceAccount });
    expect(valueOf(await alice.bridge.account.getState({}))).toEqual({ status: 'signed_in', account: aliceAccount });
    expect(Buffer.from(valueOf(await alice.bridge.account.historyKey({})).storageKey, 'base64')).toHaveLength(32);
    const bob = await registered('bob');

    expect(valueOf(await alice.bridge.contacts.findByUsername({ username: 'bob' }))).toEqual({ accountId: bob.account.accountId, username: 'bob' });
    expect(await alice.bridge.contacts.findByUsername({ username: 'nobody_here' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no @nobody_here on this server.' },
    });
    expect(valueOf(await bob.bridge.contacts.usernameOf({ accountId: aliceAccount.accountId }))).toEqual({ username: 'alice' });

    const sentStatus = nextEvent(alice.bridge.messaging.onDidChangeMessageStatus, (change) => change.status === 'sent');
    const sent = valueOf(await alice.bridge.messaging.sendText({ to: bob.account.accountId, text: 'hello bob' }));
    expect((await sentStatus).messageId).toBe(sent.messageId);

    const received = await inboxItem(bob.bridge, (item) => item.kind === 'message');
    expect(received).toMatchObject({
      kind: 'message',
      message: { messageId: sent.messageId, text: 'hello bob', direction: 'in', senderAccountId: aliceAccount.accountId, sentAt: sent.sentAt },
    });
    expect(valueOf(await bob.bridge.messaging.readInbox({ limit: 10 }))).toEqual([]); // confirmed, so gone

    const delivered = await inboxItem(alice.bridge, (item) => item.kind === 'receipt' && item.receipt.receiptType === 'delivered');
    expect(delivered).toMatchObject({ receipt: { messageIds: [sent.messageId], fromAccountId: bob.account.accountId } });

    const readStatus = nextEvent(alice.bridge.messaging.onDidChangeMessageStatus, (change) => change.status === 'read');
    valueOf(await bob.bridge.messaging.sendReadReceipts({ receipts: [{ accountId: aliceAccount.accountId, messageIds: [sent.messageId] }] }));
    const read = await inboxItem(alice.bridge, (item) => item.kind === 'receipt' && item.receipt.receiptType === 'read');
    expect(read).toMatchObject({ receipt: { messageIds: [sent.messageId], fromAccountId: bob.account.accountId } });
    expect(await readStatus).toEqual({ messageId: sent.messageId, status: 'read', by: bob.account.accountId });

    // Within the schema's character limit, but far too many bytes once encoded.
    const tooLong = await alice.bridge.messaging.sendText({ to: bob.account.accountId, text: '\u0001'.repeat(LIMITS.textMaxLength) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'too_long' } });
  });

  it('maps a taken username to username_taken and leaves the profile ready to try another', async () => {
    await registered('alice');
    const second = await host();
    const taken = await second.bridge.account.register({ username: 'alice', password: PASSWORD });
    expect(taken).toEqual({ ok: false, error: { code: 'username_taken', message: 'That username is taken. Try another one.' } });
    expect(valueOf(await second.bridge.account.getState({}))).toEqual({ status: 'signed_out' });
    expect(valueOf(await second.bridge.account.register({ username: 'alice2', password: PASSWORD }))).toMatchObject({ username: 'alice2' });
    expect(await second.bridge.account.register({ username: 'alice3', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'already_signed_in' },
    });
  });

  it('delivers typing to the connected host only: never stored for a closed one', async () => {
    const alice = await registered('alice');
    const bob = await registered('bob');
    valueOf(await alice.bridge.messaging.sendText({ to: bob.account.accountId, text: 'hi' }));
    await inboxItem(bob.bridge, (item) => item.kind === 'message');

    const typing = nextEvent(bob.bridge.messaging.onDidChangeTyping);
    expect(await alice.bridge.messaging.sendTyping({ to: bob.account.accountId, typing: true })).toEqual({ ok: true, value: null });
    expect(await typing).toEqual({ accountId: alice.account.accountId, typing: true });

    await close(bob);
    valueOf(await alice.bridge.messaging.sendTyping({ to: bob.account.accountId, typing: true }));
    const reopened = await host(bob.profileDir);
    const seen: TypingChange[] = [];
    reopened.bridge.messaging.onDidChangeTyping((change) => seen.push(change));
    valueOf(await reopened.bridge.account.unlock({ password: PASSWORD }));
    // A stored envelope would come before this later message; by then nothing was seen.
    const later = valueOf(await alice.bridge.messaging.sendText({ to: bob.account.accountId, text: 'later' }));
    await inboxItem(reopened.bridge, (item) => item.kind === 'message' && item.message.messageId === later.messageId);
    expect(seen).toEqual([]);
  });

  it('answers where the connection stands: open once signed in and connected, as its last event said', async () => {
    const alice = await host();
    expect(await alice.bridge.messaging.getConnectionStatus({})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    const events: string[] = [];
    alice.bridge.messaging.onDidChangeConnection((status) => events.push(status));
    valueOf(await alice.bridge.account.register({ username: 'alice', password: PASSWORD }));
    await vi.waitFor(async () => expect(valueOf(await alice.bridge.messaging.getConnectionStatus({}))).toBe('open'), { timeout: 10_000 });
    expect(events.at(-1)).toBe('open');
  });

  it('reopens a password profile locked; unlocks with the right password only, with the same history key', async () => {
    const alice = await registered('alice');
    const bob = await registered('bob');
    const historyKey = valueOf(await alice.bridge.account.historyKey({})).storageKey;
    await close(alice);

    const whileClosed = valueOf(await bob.bridge.messaging.sendText({ to: alice.account.accountId, text: 'while you were away' }));
    const reopened = await host(alice.profileDir);
    expect(valueOf(await reopened.bridge.account.getState({}))).toEqual({ status: 'locked', username: 'alice' });
    expect(await reopened.bridge.account.historyKey({})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await reopened.bridge.messaging.readInbox({ limit: 10 })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await reopened.bridge.account.register({ username: 'alice', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'already_signed_in' },
    });
    expect(await reopened.bridge.account.unlock({ password: 'not the password' })).toEqual({
      ok: false,
      error: { code: 'wrong_password', message: 'That password is not right.' },
    });
    expect(valueOf(await reopened.bridge.account.getState({}))).toMatchObject({ status: 'locked' });

    const unlocked = valueOf(await reopened.bridge.account.unlock({ password: PASSWORD }));
    expect(unlocked).toEqual(alice.account);
    expect(valueOf(await reopened.bridge.account.historyKey({})).storageKey).toBe(historyKey);
    const caughtUp = await inboxItem(reopened.bridge, (item) => item.kind === 'message');
    expect(caughtUp).toMatchObject({ message: { messageId: whileClosed.messageId, text: 'while you were away' } });

    const second = await host(alice.profileDir);
    expect(valueOf(await second.bridge.account.getState({}))).toEqual({ status: 'locked', username: 'alice' });
    expect(await second.bridge.account.unlock({ password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'profile_in_use' } });
  });

  it('a keychain profile opens straight to signed_in; another keychain, a password host or a second host cannot open it', async () => {
    const keychain = testKeychain();
    const protection = { kind: 'keychain', keychain } as const;
    const first = await host(undefined, protection);
    expect(valueOf(await first.bridge.account.getState({}))).toEqual({ status: 'signed_out' });
    const account = valueOf(await first.bridge.account.register({ username: 'carol', password: PASSWORD }));
    const historyKey = valueOf(await first.bridge.account.historyKey({})).storageKey;
    await close(first);

    const reopened = await host(first.profileDir, protection);
    expect(valueOf(await reopened.bridge.account.getState({}))).toEqual({ status: 'signed_in', account });
    expect(valueOf(await reopened.bridge.account.historyKey({})).storageKey).toBe(historyKey);
    expect(await reopened.bridge.account.unlock({ password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'already_signed_in' } });

    await expect(openHost(first.profileDir, fixture.server.url, protection)).rejects.toBeInstanceOf(VaultInUseError);
    await close(reopened);
    await expect(openHost(first.profileDir, fixture.server.url, { kind: 'keychain', keychain: testKeychain() })).rejects.toBeInstanceOf(
      KeychainRefusedError,
    );
    await expect(openHost(first.profileDir, fixture.server.url)).rejects.toBeInstanceOf(KeychainProfileError);
  });

  it('answers unlock on a profile without an account with not_signed_in, and calls after close likewise', async () => {
    const fresh = await host();
    expect(await fresh.bridge.account.unlock({ password: PASSWORD })).toEqual({
      ok: false,
      error: { code: 'not_signed_in', message: 'This profile has no account yet. Create one first.' },
    });
    const alice = await registered('alice');
    await close(alice);
    expect(await alice.bridge.messaging.readInbox({ limit: 1 })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await alice.bridge.account.register({ username: 'alice9', password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('answers register with unreachable when the server cannot be reached, and keeps the profile signed out', async () => {
    const profileDir = fixture.directories.make('host-profile');
    const offline = await openHost(profileDir, 'http://127.0.0.1:1');
    opened.push(offline);
    expect(await offline.bridge.account.register({ username: 'dave', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'unreachable' },
    });
    expect(valueOf(await offline.bridge.account.getState({}))).toEqual({ status: 'signed_out' });
    await close(offline);
    const online = await host(profileDir);
    expect(valueOf(await online.bridge.account.register({ username: 'dave', password: PASSWORD }))).toMatchObject({ username: 'dave' });
  });
});
