import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { credentialsOf } from '../src-main/core/account/accountRecord';
import { ServerApi } from '../src-main/core/api/serverApi';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { dumpServerStorage } from './harness/serverStorageDump';
import { eventually, type TestDevice } from './harness/testDevice';

/** What the server answers `asker` for `of`'s avatar under `version` (the server's own word, not its files). */
const askServer = (fixtureUrl: string, asker: TestDevice, of: TestDevice, version: string) =>
  new ServerApi(fixtureUrl, credentialsOf(asker.core.account)).avatar(of.accountId, version).then(
    () => 'found',
    (error: unknown) => (error as { code?: string }).code,
  );

const avatarOf = (device: TestDevice, of: TestDevice) => device.avatars.filter((entry) => entry.accountId === of.accountId).at(-1)?.image;

/** A 640×480 photo-like JPEG carrying EXIF (a camera and a GPS position, as phones write them). */
async function photoWithExif(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: colour } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SecretCam', Model: 'Serial 12345' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .toBuffer();
}

describe.each(testBackends())('avatars (A4) between real devices on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('reach a contact, a stranger and nobody as the visibility setting says, by who holds the key; the server keeps them sealed', async () => {
    const desk = await (await fixture.register('alice')).start();
    const laptop = fixture.track(await (await desk.addDevice(fixture.server.url, fixture.directories, 'laptop')).start());
    const bob = await (await fixture.register('bob')).start(); // a contact
    const carol = await (await fixture.register('carol')).start(); // a stranger alice writes to
    await desk.core.changePreferences([{ key: 'contact', accountId: bob.accountId, value: true }]);
    for (const friend of [bob, carol]) await desk.core.sendText({ username: friend.username }, `hello ${friend.username}`);

    // Cropped and scaled on the device, its metadata gone.
    const photo = await photoWithExif('#c03050');
    const image = await desk.core.profiles.ownAvatar.set(photo);
    const made = await sharp(image).metadata();
    expect(made).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(made.exif).toBeUndefined();
    expect(image.includes(Buffer.from('SecretCam'))).toBe(false);

    // My contacts (the default): bob sees it, carol does not; my laptop has it too.
    await eventually(() => avatarOf(bob, desk) === image.toString('base64'), 'bob, a contact, sees the avatar');
    await eventually(() => laptop.core.profiles.ownAvatar.current?.equals(image) === true, 'the laptop has alice’s avatar');
    await desk.core.profiles.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(avatarOf(carol, desk)).toBeUndefined();
    expect(carol.vault.read('peerAvatar', desk.accountId)).toBeUndefined();

    // The server holds it sealed: the image bytes are nowhere in its storage.
    const stored = await dumpServerStorage(fixture.server);
    expect(stored).not.toContain(image.toString('base64').slice(100, 200));
    expect(stored).not.toContain(image.toString('hex').slice(200, 300));

    // Everyone: carol, who has alice's profile key, gets the avatar key as well.
    await desk.core.changePreferences([{ key: 'avatarVisibility', value: 'everyone' }]);
    await eventually(() => avatarOf(carol, desk) === image.toString('base64'), 'carol, a stranger alice wrote to, sees it');
    // Someone alice writes to for the first time gets it with her profile key.
    const dave = await (await fixture.register('dave')).start();
    await desk.core.sendText({ username: 'dave' }, 'hello dave');
    await eventually(() => avatarOf(dave, desk) === image.toString('base64'), 'dave, written to later, sees it');

    // Nobody: the key is rotated, both are told to drop it, and their old keys open nothing.
    const carolsKey = carol.vault.read('peerAvatar', desk.accountId)!.toString('utf8');
    await desk.core.changePreferences([{ key: 'avatarVisibility', value: 'nobody' }]);
    await eventually(() => avatarOf(bob, desk) === null && avatarOf(carol, desk) === null && avatarOf(dave, desk) === null, 'bob, carol and dave drop the avatar');
    const { version } = JSON.parse(carolsKey) as { version: string };
    expect(await askServer(fixture.server.url, carol, desk, version)).toBe('not_found');
    expect(carol.vault.read('peerAvatar', desk.accountId)).toBeUndefined();

    // Back to my contacts from the laptop: bob alone gets the new key.
    await eventually(() => laptop.core.preferences.avatarVisibility === 'nobody', 'the laptop has the setting');
    await laptop.core.changePreferences([{ key: 'avatarVisibility', value: 'contacts' }]);
    await eventually(() => avatarOf(bob, desk) === image.toString('base64'), 'bob sees it again');
    // Removing bob from my contacts rotates it past him.
    await laptop.core.changePreferences([{ key: 'contact', accountId: bob.accountId, value: false }]);
    await eventually(() => avatarOf(bob, desk) === null, 'bob, no longer a contact, drops it');
    await laptop.core.profiles.idle();
    expect(avatarOf(carol, desk)).toBeNull();
  });

  it('refuses a file that is no image, changing nothing, and removes an avatar for everyone at once', async () => {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    await alice.core.changePreferences([{ key: 'contact', accountId: bob.accountId, value: true }]);
    const image = await alice.core.profiles.ownAvatar.set(await photoWithExif('#2080c0'));
    await eventually(() => avatarOf(bob, alice) === image.toString('base64'), 'bob sees the avatar');

    for (const file of [Buffer.from('not an image at all'), Buffer.alloc(0), Buffer.concat([(await photoWithExif('#000')).subarray(0, 200)])]) {
      await expect(alice.core.profiles.ownAvatar.set(file)).rejects.toThrow(/not an image/);
    }
    await expect(alice.core.profiles.ownAvatar.set(Buffer.alloc(11 * 1024 * 1024))).rejects.toThrow(/at most 10 MB/);
    expect(alice.core.profiles.ownAvatar.current?.equals(image)).toBe(true);

    const { version } = JSON.parse(bob.vault.read('peerAvatar', alice.accountId)!.toString('utf8')) as { version: string };
    expect(await askServer(fixture.server.url, bob, alice, version)).toBe('found');
    await alice.core.profiles.ownAvatar.remove();
    expect(alice.core.profiles.ownAvatar.current).toBeNull();
    expect(await askServer(fixture.server.url, bob, alice, version)).toBe('not_found');
    await eventually(() => avatarOf(bob, alice) === null, 'bob drops the removed avatar');
  });
});
