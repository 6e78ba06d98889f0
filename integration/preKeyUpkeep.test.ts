import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src-shared/domain/limits';
import { credentialsOf } from '../src-main/core/account/accountRecord';
import { ServerApi } from '../src-main/core/api/serverApi';
import { PREKEY_BATCH } from '../src-main/core/signal/deviceKeys';
import { SIGNED_PREKEY_ROTATION_MS } from '../src-main/core/signal/preKeyUpkeep';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { eventually, type TestDevice } from './harness/testDevice';

describe.each(testBackends())('prekey upkeep on $name', (backend) => {
  const fixture = useServerPerTest(backend);
  const register = (username: string) => fixture.register(username);
  const apiOf = (device: TestDevice) => new ServerApi(fixture.server.url, credentialsOf(device.core.account));

  it('refills one-time prekeys when the server says they run low, and the new keys open sessions', async () => {
    const bob = await (await register('bob')).start();
    const carol = await (await register('carol')).start();
    const bobApi = apiOf(bob);
    expect(await bobApi.preKeyCount()).toEqual({ preKeys: PREKEY_BATCH, kyberPreKeys: PREKEY_BATCH });

    const drain = PREKEY_BATCH - LIMITS.preKeyLowWatermark + 5;
    for (let fetched = 0; fetched < drain; fetched += 1) await apiOf(carol).preKeyBundle(bob.accountId);
    await eventually(async () => (await bobApi.preKeyCount()).preKeys >= PREKEY_BATCH, 'bob refilled');
    const count = await bobApi.preKeyCount();
    expect(count.preKeys).toBe(PREKEY_BATCH - drain + PREKEY_BATCH);
    expect(count.kyberPreKeys).toBe(PREKEY_BATCH - drain + PREKEY_BATCH);

    // Use up the old keys, so the next session is started with a refilled one.
    for (let fetched = 0; fetched < PREKEY_BATCH - drain; fetched += 1) await apiOf(carol).preKeyBundle(bob.accountId);
    const dave = await (await register('dave')).start();
    const sent = await dave.core.sendText({ username: 'bob' }, 'opened with a refilled prekey');
    await eventually(() => bob.messages.some((message) => message.messageId === sent.messageId), 'bob decrypted it');
    const next = await apiOf(carol).preKeyBundle(bob.accountId);
    expect(next.devices[0]!.preKey!.keyId).toBeGreaterThan(PREKEY_BATCH);
  });

  it('rotates the signed and last-resort prekeys weekly and still opens sessions started with the old ones', async () => {
    const alice = await (await register('alice')).start();
    const bob = await register('bob'); // offline: alice's first message waits, made with bob's first signed prekey
    const before = await alice.core.sendText({ username: 'bob' }, 'made with the old signed prekey');
    await alice.core.waitUntilSent(before.messageId);

    const eightDaysLater = { now: () => Date.now() + SIGNED_PREKEY_ROTATION_MS + 24 * 60 * 60 * 1000 };
    await bob.start({ clock: eightDaysLater });
    await eventually(() => bob.messages.length === 1, 'bob opened the old-key message');

    const carol = await (await register('carol')).start();
    await eventually(
      async () => (await apiOf(carol).preKeyBundle(bob.accountId)).devices[0]!.signedPreKey.keyId === 2,
      'bob uploaded a new signed prekey',
    );

    const after = await carol.core.sendText({ username: 'bob' }, 'made with the new signed prekey');
    await eventually(() => bob.messages.some((message) => message.messageId === after.messageId), 'bob opened the new-key message');
    expect(bob.messages.map((message) => message.text)).toEqual(['made with the old signed prekey', 'made with the new signed prekey']);
  });
});
