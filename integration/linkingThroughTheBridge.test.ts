import { randomUUID } from 'node:crypto';
import { LINKED_DIRECTORY_MAX } from '../src-shared/domain/linkedDirectory';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountState, LinkProgress } from '../src-shared/ipc/account';
import { testBackends } from '../src-server/testing/backends';
import { inboxItem, nextEvent, openHost, valueOf, type HostUnderTest } from './bridgeHostFixture';
import { useServerPerTest } from './harness/serverFixture';

const PASSWORD = 'a long enough password';
const DEVICE_PASSWORD = 'this laptop only password';

describe.each(testBackends())('linking app profiles through the bridge on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('links a new profile from Active sessions: it signs in as another device, locked later by its own password', async () => {
    const hosts: HostUnderTest[] = [];
    try {
      const desk = await openHost(fixture.directories.make('desk'), fixture.server.url);
      hosts.push(desk);
      const alice = valueOf(await desk.bridge.account.register({ username: 'alice', password: PASSWORD }));
      const laptopDir = fixture.directories.make('laptop');
      const laptop = await openHost(laptopDir, fixture.server.url);
      hosts.push(laptop);

      expect(valueOf(await laptop.bridge.account.linkRequirements({}))).toEqual({ password: true });
      expect(await laptop.bridge.account.startLink({})).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      const waiting = valueOf(await laptop.bridge.account.startLink({ password: DEVICE_PASSWORD }));
      expect(waiting).toMatchObject({ status: 'waiting', code: expect.stringMatching(/^parley-link:/) });
      expect(waiting.qr.size).toBeGreaterThan(20);
      expect(waiting.qr.path).toMatch(/^M\d+ \d+h1v1h-1z/);
      // Asked again while waiting: the same code.
      expect(valueOf(await laptop.bridge.account.startLink({ password: DEVICE_PASSWORD })).code).toBe(waiting.code);
      expect(await laptop.bridge.account.register({ username: 'other', password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });

      expect(valueOf(await desk.bridge.devices.inspectLinkCode({ code: waiting.code }))).toMatchObject({ name: 'Parley desktop' });
      expect(await desk.bridge.devices.inspectLinkCode({ code: 'parley-link:nonsense.abcdef' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument', message: expect.stringMatching(/^That is not a whole link code/) },
      });
      const signedIn = nextEvent<AccountState>(laptop.bridge.account.onDidChangeState, (state) => state.status === 'signed_in');
      // The contacts and chat list travel with the keys, as many as a link carries.
      const people = Array.from({ length: LINKED_DIRECTORY_MAX }, () => randomUUID());
      const directory = {
        contacts: people.map((accountId, index): [string, string] => [accountId, `person_${String(index).padStart(25, '0')}`]),
        chats: people.map((accountId, index): [string, number] => [accountId, 1_700_000_000_000 + index]),
      };
      valueOf(await desk.bridge.devices.link({ code: waiting.code, directory }));
      expect(await signedIn).toEqual({ status: 'signed_in', account: { accountId: alice.accountId, username: 'alice', deviceId: 2 } });
      expect(await inboxItem(laptop.bridge, (item) => item.kind === 'directory')).toEqual({ inboxId: 'linked-directory', kind: 'directory', directory });
      expect(valueOf(await desk.bridge.devices.list({})).devices.map((device) => device.deviceId)).toEqual([1, 2]);

      await laptop.host.close();
      hosts.splice(hosts.indexOf(laptop), 1);
      const again = await openHost(laptopDir, fixture.server.url);
      hosts.push(again);
      expect(valueOf(await again.bridge.account.getState({}))).toEqual({ status: 'locked', username: 'alice' });
      expect(await again.bridge.account.unlock({ password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
      expect(valueOf(await again.bridge.account.unlock({ password: DEVICE_PASSWORD }))).toMatchObject({ deviceId: 2 });
    } finally {
      for (const host of hosts) await host.host.close();
    }
  });

  it('cancels a link: the failure is reported and the profile holds nothing', async () => {
    const dir = fixture.directories.make('cancelled');
    const laptop = await openHost(dir, fixture.server.url);
    try {
      valueOf(await laptop.bridge.account.startLink({ password: DEVICE_PASSWORD }));
      const failed = nextEvent<LinkProgress>(laptop.bridge.account.onDidChangeLink);
      valueOf(await laptop.bridge.account.cancelLink({}));
      expect(await failed).toMatchObject({ status: 'failed', reason: 'cancelled' });
      expect(readdirSync(dir)).toEqual([]);
      expect(valueOf(await laptop.bridge.account.getState({}))).toEqual({ status: 'signed_out' });
      // And it can start over, or sign up instead.
      valueOf(await laptop.bridge.account.startLink({ password: DEVICE_PASSWORD }));
      valueOf(await laptop.bridge.account.cancelLink({}));
      valueOf(await laptop.bridge.account.register({ username: 'erin', password: PASSWORD }));
    } finally {
      await laptop.host.close();
    }
  });
});
