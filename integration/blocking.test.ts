import { describe, expect, it } from 'vitest';
import { thisDeviceDetails } from '../src-main/core/account/deviceDetails';
import { RecipientBlockedError } from '../src-main/core/coreErrors';
import { LinkRequest } from '../src-main/core/linking/requestLink';
import { openProfileVault } from '../src-main/core/profile/profileFiles';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { dumpServerStorage } from './harness/serverStorageDump';
import { eventually, TEST_PASSPHRASE, TestDevice } from './harness/testDevice';

describe.each(testBackends())('blocking (B3) between real devices on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('drops a blocked account’s messages on every device of mine without a receipt, and the server never learns the block list', async () => {
    const desk = await (await fixture.register('alice')).start();
    const laptop = fixture.track(await (await desk.addDevice(fixture.server.url, fixture.directories, 'laptop')).start());
    const bob = await (await fixture.register('bob')).start();

    const before = await bob.core.sendText({ username: 'alice' }, 'before the block');
    await eventually(() => bob.statuses.get(before.messageId) === 'delivered', 'bob’s first message is delivered');

    const changed: string[][] = [];
    laptop.core.preferences.onChange.on((preferences) => changed.push(preferences.blocked));
    expect(await desk.core.preferences.change([{ key: 'blocked', accountId: bob.accountId, value: true }])).toEqual({ whoCanCall: 'contacts', blocked: [bob.accountId], contactNames: {}, avatarVisibility: 'contacts', contacts: [], suggestFrequent: true });
    // The laptop announces the change once its commit is durable, a moment after it holds it.
    await eventually(() => changed.length > 0, 'the laptop announces the block');
    expect(laptop.core.preferences.isBlocked(bob.accountId)).toBe(true);
    expect(changed).toEqual([[bob.accountId]]);

    const blocked = await bob.core.sendText({ username: 'alice' }, 'while blocked');
    await bob.core.waitUntilSent(blocked.messageId);
    await bob.core.sendTyping(desk.accountId, true);
    await expect(desk.core.sendText({ username: 'bob' }, 'to someone I blocked')).rejects.toBeInstanceOf(RecipientBlockedError);

    // Nothing of the block is on the server: not the list, not the word, not the sync message in clear.
    const stored = await dumpServerStorage(fixture.server);
    expect(stored).not.toContain('preferences_sync');
    expect(stored).not.toContain('"blocked"');

    // A device linked now starts with the block list, and survives a restart with it.
    const newProfile = fixture.directories.make('profile-alice-new');
    const newVault = await openProfileVault(newProfile, TEST_PASSPHRASE, true);
    const request = await LinkRequest.open({ vault: newVault, serverUrl: fixture.server.url, deviceName: 'New', deviceDetails: thisDeviceDetails('cli'), clock: { now: () => Date.now() } });
    const linked = request.linked().finally(() => newVault.close());
    await desk.core.devices.link(request.code);
    await linked;
    const linkedDevice = fixture.track(await TestDevice.ofProfile('alice', newProfile).start());
    expect(linkedDevice.core.preferences.current.blocked).toEqual([bob.accountId]);

    await desk.stop();
    const deskAgain = fixture.track(await TestDevice.ofProfile('alice', desk.profileDir).start());
    expect(deskAgain.core.preferences.isBlocked(bob.accountId)).toBe(true);

    // Unblocked on the laptop: every device takes it, and bob's next message arrives everywhere.
    await laptop.core.preferences.change([{ key: 'blocked', accountId: bob.accountId, value: false }]);
    await eventually(() => !deskAgain.core.preferences.isBlocked(bob.accountId) && !linkedDevice.core.preferences.isBlocked(bob.accountId), 'the unblock reaches the other devices');
    const after = await bob.core.sendText({ username: 'alice' }, 'after the unblock');
    await eventually(
      () => [deskAgain, laptop, linkedDevice].every((device) => device.textsFrom(bob).includes('after the unblock')),
      'every device of alice’s gets the message after the unblock',
    );
    await eventually(() => bob.statuses.get(after.messageId) === 'delivered', 'bob sees it delivered');
    // Queued before it and so processed before it: the blocked one reached no history and earned no receipt.
    expect(laptop.textsFrom(bob)).toEqual(['before the block', 'after the unblock']);
    expect([...desk.textsFrom(bob), ...deskAgain.textsFrom(bob)]).toEqual(['before the block', 'after the unblock']);
    // The linked device restored the archive: the blocked message was never archived either.
    await eventually(() => linkedDevice.core.archive.restoreProgress.done, 'the linked device’s restore ends');
    expect(linkedDevice.textsFrom(bob).sort()).toEqual(['after the unblock', 'before the block']);
    expect(bob.statuses.get(blocked.messageId)).toBe('sent');
    expect(bob.receipts.flatMap((receipt) => receipt.messageIds)).not.toContain(blocked.messageId);
  });
});
