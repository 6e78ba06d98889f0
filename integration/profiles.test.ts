import { describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { dumpServerStorage } from './harness/serverStorageDump';
import { eventually, type TestDevice } from './harness/testDevice';

const nameOf = (device: TestDevice, of: TestDevice) => device.profiles.filter((entry) => entry.accountId === of.accountId).at(-1)?.profile;

describe.each(testBackends())('end-to-end encrypted profiles (A2) between real devices on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('reach the people I write to and my other devices, sealed on the server; a block leaves the blocked person behind', async () => {
    const desk = await (await fixture.register('alice')).start();
    const laptop = fixture.track(await (await desk.addDevice(fixture.server.url, fixture.directories, 'laptop')).start());
    const bob = await (await fixture.register('bob')).start();
    const carol = await (await fixture.register('carol')).start();

    expect(desk.core.profiles.own.current).toBeNull();
    await desk.core.profiles.own.save({ displayName: 'Alice Liddell', bio: 'Curiouser and curiouser' });
    expect(desk.core.profiles.own.current).toEqual({ displayName: 'Alice Liddell', bio: 'Curiouser and curiouser' });
    // My other device fetches it under the key my devices share.
    await eventually(() => laptop.core.profiles.own.current?.displayName === 'Alice Liddell', 'the laptop learns alice’s profile');

    // Writing to bob and carol gives them the key; their devices fetch and open the profile.
    for (const friend of [bob, carol]) await desk.core.sendText({ username: friend.username }, `hello ${friend.username}`);
    await eventually(() => nameOf(bob, desk)?.displayName === 'Alice Liddell' && nameOf(carol, desk)?.displayName === 'Alice Liddell', 'bob and carol see alice’s profile');
    expect(nameOf(bob, desk)).toEqual({ displayName: 'Alice Liddell', bio: 'Curiouser and curiouser' });
    // Someone alice never wrote to learns nothing (bob wrote to carol, not the other way round).
    expect(bob.profiles).toHaveLength(1);

    // The server holds the profile sealed: neither the name nor the bio is anywhere in its storage.
    const stored = await dumpServerStorage(fixture.server);
    for (const secret of ['Alice Liddell', 'Curiouser']) expect(stored).not.toContain(secret);

    // A change reaches everyone who has the key, from the laptop too.
    await laptop.core.profiles.own.save({ displayName: 'Alice L.', bio: '' });
    await eventually(() => nameOf(bob, desk)?.displayName === 'Alice L.' && nameOf(carol, desk)?.displayName === 'Alice L.', 'the change reaches bob and carol');
    await eventually(() => desk.core.profiles.own.current?.displayName === 'Alice L.', 'the desk learns of the laptop’s change');

    // Blocking bob rotates the key: carol gets the new one; bob's old key no longer opens anything.
    await desk.core.changePreferences([{ key: 'blocked', accountId: bob.accountId, value: true }]);
    await desk.core.profiles.own.save({ displayName: 'Alice after the block', bio: 'not for bob' });
    await eventually(() => nameOf(carol, desk)?.displayName === 'Alice after the block', 'carol sees the new profile');
    await eventually(() => laptop.core.profiles.own.current?.displayName === 'Alice after the block', 'the laptop follows the rotation');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(nameOf(bob, desk)?.displayName).toBe('Alice L.');
    const bobsKey = JSON.parse(bob.vault.read('peerProfile', desk.accountId)!.toString('utf8')) as { version: string };
    await expect(bob.core.profiles.peers.fetch([desk.accountId])).resolves.toBeUndefined();
    expect(nameOf(bob, desk)?.displayName).toBe('Alice L.');
    expect(bobsKey.version).not.toBe(JSON.parse(carol.vault.read('peerProfile', desk.accountId)!.toString('utf8')).version);
    // The laptop, sending to bob, does not give him the new key either.
    await expect(laptop.core.sendText({ username: 'bob' }, 'blocked')).rejects.toThrow();
  });

  it('reach someone I wrote to before I had a profile, at my first save', async () => {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    const sent = await alice.core.sendText({ username: 'bob' }, 'hello before my profile');
    await alice.core.waitUntilSent(sent.messageId);
    await alice.core.profiles.idle();
    expect(bob.profiles).toHaveLength(0);

    await alice.core.profiles.own.save({ displayName: 'Alice Liddell', bio: '' });
    await eventually(() => nameOf(bob, alice)?.displayName === 'Alice Liddell', 'bob sees the profile alice saved after writing to him');
  });
});
