import { describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { inboxItem, openHost, valueOf } from './bridgeHostFixture';
import { useServerPerTest } from './harness/serverFixture';
import { tableRows } from './harness/serverStorageDump';
import { eventually, TEST_PASSWORD, type TestDevice } from './harness/testDevice';

describe.each(testBackends())('a fresh start on a machine with no device of the account on $name', (backend) => {
  const fixture = useServerPerTest(backend);
  const archiveRowsOf = async (accountId: string) => (await tableRows(fixture.server, 'archive_items')).filter((row) => row.account_id === accountId);
  const ended = (device: TestDevice) => new Promise<void>((resolve) => device.core.onSessionEnded.on(resolve));
  const knownIdentityOf = (device: TestDevice, accountId: string) =>
    device.vault.transaction().getJson<{ publicKey: string; changedAt?: number }>('identity', accountId);

  it('names where the account still is, then starts it over: old devices cut off, archive gone, contacts reach the new identity', async () => {
    const desk = await (await fixture.register('alice')).start();
    const laptop = fixture.track(await (await desk.addDevice(fixture.server.url, fixture.directories, 'Laptop')).start());
    const bob = await (await fixture.register('bob')).start();
    await bob.core.sendText({ username: 'alice' }, 'before');
    await eventually(() => desk.textsFrom(bob).includes('before') && laptop.textsFrom(bob).includes('before'), 'alice’s devices receive it');
    await eventually(async () => (await archiveRowsOf(desk.accountId)).length > 0, 'alice’s archive holds it');
    const oldIdentity = knownIdentityOf(bob, desk.accountId)?.publicKey;
    expect(oldIdentity).toBeDefined();
    const deskEnded = ended(desk);
    const laptopEnded = ended(laptop);

    const host = await openHost(fixture.directories.make('profile-alice-new-machine'), fixture.server.url);
    try {
      // A wrong password learns nothing, and leaves nothing on the profile.
      const wrong = { username: 'alice', password: 'not the password' };
      expect(await host.bridge.account.devicesOfAccount(wrong)).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
      expect(await host.bridge.account.startFresh(wrong)).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
      expect(valueOf(await host.bridge.account.getState({}))).toEqual({ status: 'signed_out' });

      const right = { username: 'alice', password: TEST_PASSWORD };
      const listed = valueOf(await host.bridge.account.devicesOfAccount(right)).devices;
      expect(listed.map((device) => [device.deviceId, device.name])).toEqual([
        [1, 'test'],
        [2, 'Laptop'],
      ]);
      // Asking is not starting: the devices are untouched.
      expect(desk.core.isConnected && laptop.core.isConnected).toBe(true);

      expect(valueOf(await host.bridge.account.startFresh(right))).toEqual({ accountId: desk.accountId, username: 'alice', deviceId: 3 });
      expect(valueOf(await host.bridge.account.getState({}))).toMatchObject({ status: 'signed_in', account: { deviceId: 3 } });
      await Promise.all([deskEnded, laptopEnded]);
      expect(await archiveRowsOf(desk.accountId)).toEqual([]);
      expect(valueOf(await host.bridge.archive.getSettings({}))).toMatchObject({ enabled: true });

      // Bob's next message goes to the new device alone, under the new identity, and the answer comes back.
      await bob.core.sendText({ username: 'alice' }, 'after');
      const received = await inboxItem(host.bridge, (item) => item.kind === 'message' && item.message.text === 'after');
      expect(received).toMatchObject({ message: { senderAccountId: bob.accountId, direction: 'in' } });
      valueOf(await host.bridge.messaging.sendText({ to: bob.accountId, text: 'new machine, same me' }));
      await eventually(() => bob.textsFrom(desk).includes('new machine, same me'), 'bob receives from the new identity');
      const known = knownIdentityOf(bob, desk.accountId);
      expect(known?.publicKey).not.toBe(oldIdentity);
      expect(known?.changedAt).toEqual(expect.any(Number));
      // Bob is told once, with the time the new key reached him: his chat with alice shows it.
      await eventually(() => bob.identityChanges.length > 0, 'bob hears that alice’s safety number changed');
      expect(bob.identityChanges).toEqual([{ accountId: desk.accountId, changedAt: known!.changedAt }]);
      // The new device archives under the new epoch (the server takes it), sealed with its new key.
      await eventually(async () => (await archiveRowsOf(desk.accountId)).length === 2, 'the new device archives what it sent and received');
    } finally {
      await host.host.close();
    }
  });
});
