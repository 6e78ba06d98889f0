import { describe, expect, it } from 'vitest';
import { credentialsOf } from '../src-main/core/account/accountRecord';
import { thisDeviceDetails } from '../src-main/core/account/deviceDetails';
import { ServerApi, ServerError } from '../src-main/core/api/serverApi';
import { LinkRequest } from '../src-main/core/linking/requestLink';
import { openProfileVault } from '../src-main/core/profile/profileFiles';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { eventually, TEST_PASSPHRASE, TestDevice } from './harness/testDevice';

const clock = { now: () => Date.now() };

describe.each(testBackends())('the encrypted history archive through a real server on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  const apiOf = (device: TestDevice) => new ServerApi(fixture.server.url, credentialsOf(device.core.account));
  const archivedCount = async (device: TestDevice) => (await apiOf(device).archivePage(0, 1, true)).remaining;

  /** Links a new profile to `existing`'s account and starts it. */
  async function linkTo(existing: TestDevice, name: string) {
    const profileDir = fixture.directories.make(`profile-linked-${name}`);
    const vault = await openProfileVault(profileDir, TEST_PASSPHRASE, true);
    const request = await LinkRequest.open({ vault, serverUrl: fixture.server.url, deviceName: name, deviceDetails: thisDeviceDetails('cli'), clock });
    const linked = request.linked().finally(() => vault.close());
    await existing.core.devices.link(request.code);
    await linked;
    return fixture.track(await TestDevice.ofProfile(existing.username, profileDir).start());
  }

  it('restores on a linked device what was sent and received before the link, in order, exactly once and as read', async () => {
    const desk = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    const before: string[] = [];
    for (let index = 0; index < 3; index++) {
      const text = `bob before the link ${index}`;
      await bob.core.sendText({ username: 'alice' }, text);
      before.push(text);
      await eventually(() => desk.textsFrom(bob).includes(text), 'the desk receives it');
      const reply = `alice before the link ${index}`;
      await desk.core.sendText({ username: 'bob' }, reply);
      before.push(reply);
      await eventually(() => bob.textsFrom(desk).includes(reply), 'bob receives the reply');
    }
    // Bob's own devices archive for bob's account, not alice's: alice's archive has her six.
    await eventually(async () => (await archivedCount(desk)) === 6, 'the desk has archived all six');
    // Something in the archive that does not open with the account's key is skipped, not restored.
    await apiOf(desk).appendArchive(0, [{ id: 'not-a-real-item', body: Buffer.from('noise that is no sealed item').toString('base64') }]);

    const laptop = await linkTo(desk, 'Laptop');
    await eventually(() => laptop.core.archive.restoreProgress.done, 'the laptop finishes its restore');
    expect(laptop.core.archive.restoreProgress).toEqual({ restored: 7, total: 7, done: true });
    await eventually(() => laptop.messages.length >= 6, 'the laptop has the history');
    expect(laptop.messages.map((message) => message.text)).toEqual(before);
    expect([...laptop.handedOver.values()].every((count) => count === 1)).toBe(true);
    expect(laptop.messages.every((message) => message.read === true)).toBe(true);
    expect(laptop.messages.filter((message) => message.direction === 'out').map((message) => message.senderDeviceId)).toEqual([1, 1, 1]);

    // After the link it is an equal device: what comes live comes unread, and what it receives the archive gets once.
    await bob.core.sendText({ username: 'alice' }, 'bob after the link');
    await eventually(() => laptop.textsFrom(bob).includes('bob after the link') && desk.textsFrom(bob).includes('bob after the link'), 'both receive');
    expect(laptop.messages.find((message) => message.text === 'bob after the link')?.read).toBeUndefined();
    await eventually(async () => (await archivedCount(desk)) === 8, 'both devices archived it, and the server kept it once');
    await laptop.core.sendText({ username: 'bob' }, 'laptop after the link');
    await eventually(async () => (await archivedCount(desk)) === 9, 'the laptop archives what it sends');

    // A second device linked now restores everything, the laptop's send included.
    const tablet = await linkTo(laptop, 'Tablet');
    await eventually(() => tablet.core.archive.restoreProgress.done && tablet.messages.length === 8, 'the tablet restores all eight');
    expect(tablet.messages.map((message) => message.text)).toEqual([...before, 'bob after the link', 'laptop after the link']);
  });

  it('switched off from one device, holds nothing and takes nothing from any device', async () => {
    const desk = await (await fixture.register('carol')).start();
    const bob = await (await fixture.register('bob')).start();
    await bob.core.sendText({ username: 'carol' }, 'archived');
    await eventually(async () => (await archivedCount(desk)) === 1, 'the desk archived it');
    const laptop = await linkTo(desk, 'Laptop');
    await eventually(() => laptop.textsFrom(bob).includes('archived'), 'the laptop restored it');

    await laptop.core.archive.setEnabled(false);
    expect(await desk.core.archive.settings()).toEqual({ enabled: false });
    await expect(archivedCount(desk)).resolves.toBe(0);
    await expect(apiOf(desk).appendArchive(1, [{ id: 'after-off', body: 'AAAA' }])).rejects.toBeInstanceOf(ServerError);

    await bob.core.sendText({ username: 'carol' }, 'not archived');
    await eventually(() => desk.textsFrom(bob).includes('not archived') && laptop.textsFrom(bob).includes('not archived'), 'both receive');
    await desk.core.sendText({ username: 'bob' }, 'nor this');
    await eventually(() => bob.textsFrom(desk).includes('nor this'), 'bob receives');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(archivedCount(desk)).resolves.toBe(0);

    // On again: what comes from now on is archived again.
    await desk.core.archive.setEnabled(true);
    await bob.core.sendText({ username: 'carol' }, 'archived again');
    await eventually(async () => (await archivedCount(desk)) === 1, 'archived once more');
  });
});
