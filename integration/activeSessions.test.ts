import { existsSync, readdirSync } from 'node:fs';
import { hostname, release, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../src-shared/domain/appVersion';
import type { AccountState } from '../src-shared/ipc/account';
import { testBackends } from '../src-server/testing/backends';
import { nextEvent, openHost, valueOf } from './bridgeHostFixture';
import { useServerPerTest } from './harness/serverFixture';
import { dumpServerStorage, tableRows } from './harness/serverStorageDump';
import { eventually, TEST_PASSPHRASE } from './harness/testDevice';

const TODAY = Math.floor(Date.now() / 86_400_000);
const PLATFORM = ({ linux: 'linux', darwin: 'macos', win32: 'windows' } as Record<string, string>)[process.platform] ?? 'other';

describe.each(testBackends())('Active sessions between real devices on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('lists every device, renames this one, and a terminated device is cut off and wipes itself', async () => {
    const desk = await (await fixture.register('alice')).start();
    const laptop = await desk.addDevice(fixture.server.url, fixture.directories, 'Laptop');
    // The laptop runs as the app's host does (ProfileSession), so its wipe is the app's own.
    const host = await openHost(laptop.profileDir, fixture.server.url);
    try {
      valueOf(await host.bridge.account.unlock({ password: TEST_PASSPHRASE }));
      await eventually(async () => valueOf(await host.bridge.messaging.getConnectionStatus({})) === 'open', 'the laptop is connected');

      const listed = valueOf(await host.bridge.devices.list({})).devices;
      expect(listed).toEqual([
        {
          deviceId: 2,
          name: 'Laptop',
          platform: PLATFORM,
          osVersion: release().slice(0, 32),
          appVersion: `desktop ${APP_VERSION}`,
          createdDay: TODAY,
          lastSeenDay: TODAY,
          thisDevice: true,
        },
        expect.objectContaining({ deviceId: 1, name: 'test', appVersion: `cli ${APP_VERSION}`, thisDevice: false }),
      ]);
      valueOf(await host.bridge.devices.renameThisDevice({ name: 'Work laptop' }));
      expect(await host.bridge.devices.renameThisDevice({ name: '\u0007' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(await host.bridge.devices.terminate({ deviceId: 2 })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect((await desk.core.devices.list()).map((device) => [device.deviceId, device.name, device.thisDevice])).toEqual([
        [1, 'test', true],
        [2, 'Work laptop', false],
      ]);

      // H6: what the server keeps of a device is A9's fields and its keys, nothing else.
      const devices = await tableRows(fixture.server, 'devices');
      expect(Object.keys(devices[0]!).sort()).toEqual(
        [
          'account_id',
          'app_version',
          'created_day',
          'device_id',
          'kyber_last_resort_key',
          'kyber_last_resort_key_id',
          'kyber_last_resort_signature',
          'last_seen_day',
          'name',
          'os_version',
          'platform',
          'queued_bytes',
          'registration_id',
          'secret_hash',
          'signed_pre_key',
          'signed_pre_key_id',
          'signed_pre_key_signature',
        ].sort(),
      );
      const stored = await dumpServerStorage(fixture.server);
      for (const forbidden of [hostname(), userInfo().username, '127.0.0.1', 'node-fetch', 'undici', 'Mozilla'].filter((text) => text.length >= 4)) {
        expect(stored, forbidden).not.toContain(forbidden);
      }

      const ended = nextEvent<AccountState>(host.bridge.account.onDidChangeState, (state) => state.status === 'signed_out');
      await desk.core.devices.terminate(2);
      expect(await ended).toEqual({ status: 'signed_out', endedSession: { accountId: desk.accountId } });
      expect(existsSync(join(laptop.profileDir, 'vault.sqlite'))).toBe(false);
      expect(readdirSync(laptop.profileDir).sort()).toEqual(['session-ended.json']);
      expect(await host.bridge.messaging.getConnectionStatus({})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
      expect((await desk.core.devices.list()).map((device) => device.deviceId)).toEqual([1]);
    } finally {
      await host.host.close();
    }

    // At the next start the profile still says why, until a new account is made on it.
    const again = await openHost(laptop.profileDir, fixture.server.url);
    try {
      expect(valueOf(await again.bridge.account.getState({}))).toEqual({ status: 'signed_out', endedSession: { accountId: desk.accountId } });
      valueOf(await again.bridge.account.register({ username: 'alice_again', password: 'a long enough password' }));
      expect(readdirSync(laptop.profileDir)).not.toContain('session-ended.json');
    } finally {
      await again.host.close();
    }
  });

  it('terminates all other sessions at once and keeps this one working', async () => {
    const desk = await (await fixture.register('carol')).start();
    const second = fixture.track(await (await desk.addDevice(fixture.server.url, fixture.directories, 'Second')).start());
    const ended = new Promise<void>((resolve) => second.core.onSessionEnded.on(resolve));
    await eventually(() => second.core.isConnected, 'the second device is connected');

    expect(await desk.core.devices.terminateOthers()).toEqual([2]);
    await ended;
    expect(second.core.isConnected).toBe(false);
    expect(await desk.core.devices.terminateOthers()).toEqual([]);
    const bob = await (await fixture.register('bob')).start();
    await bob.core.sendText({ username: 'carol' }, 'still here?');
    await eventually(() => desk.textsFrom(bob).includes('still here?'), 'carol receives on her remaining device');
  });
});
