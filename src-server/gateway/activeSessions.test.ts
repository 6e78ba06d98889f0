import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { addDevice, basic, registerAccount, request } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';
import { CLOSE_CODES } from './websocketSession';

const DAY = Math.floor(Date.now() / 86_400_000);

describe.each(testBackends())('Active sessions over HTTP on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());
  const list = (authorization: string) => request(server.url, 'GET', '/v1/devices', { authorization });
  const rename = (authorization: string, body: unknown) => request(server.url, 'PUT', '/v1/devices/self/name', { authorization, body });

  it('lists every device of the account with its name, platform, versions and days, and nothing else', async () => {
    const first = await registerAccount(server.url, {
      keys: { ...fakeDeviceKeys({ name: 'Desk' }), details: { platform: 'linux', osVersion: '6.1.0', appVersion: 'desktop 0.1.0' } },
    });
    // A device that says nothing of itself (an older client) lists as `other`.
    await addDevice(server.url, first, fakeDeviceKeys({ identityKey: first.keys.identityKey, name: 'Old laptop' }));
    const stranger = await registerAccount(server.url);

    const answer = await list(first.authorization);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      devices: [
        { deviceId: 1, name: 'Desk', platform: 'linux', osVersion: '6.1.0', appVersion: 'desktop 0.1.0', createdDay: DAY, lastSeenDay: DAY },
        { deviceId: 2, name: 'Old laptop', platform: 'other', osVersion: '', appVersion: '', createdDay: DAY, lastSeenDay: DAY },
      ],
    });
    expect((await list(stranger.authorization)).body).toMatchObject({ devices: [{ deviceId: 1 }] });
    expect((await request(server.url, 'GET', '/v1/devices', {})).status).toBe(401);
  });

  it('refuses details that are not what a device reports', async () => {
    for (const details of [
      { platform: 'amiga', osVersion: '1', appVersion: '1' },
      { platform: 'linux', osVersion: 'x'.repeat(33), appVersion: '1' },
      { platform: 'linux', osVersion: '6.1\u0007', appVersion: '1' },
      { platform: 'linux', osVersion: '6.1', appVersion: '1', hostname: 'alice-pc' },
    ]) {
      const answer = await request(server.url, 'POST', '/v1/accounts', {
        body: { username: `details_${Math.random().toString(36).slice(2, 9)}`, password: 'correct horse battery', device: { ...fakeDeviceKeys(), details } },
      });
      expect(answer, JSON.stringify(details)).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    }
  });

  it('lets a device rename itself, trimmed, and refuses an empty name, control characters or bidi overrides', async () => {
    const first = await registerAccount(server.url);
    expect((await rename(first.authorization, { name: '  Work laptop  ' })).status).toBe(204);
    expect((await list(first.authorization)).body).toMatchObject({ devices: [{ deviceId: 1, name: 'Work laptop' }] });
    for (const name of ['   ', 'tab\there', 'evil\u202Egnp.exe', 'x'.repeat(65)]) {
      expect((await rename(first.authorization, { name })).status, name).toBe(400);
    }
    expect((await rename(first.authorization, { name: 'ok', extra: 1 })).status).toBe(400);
    expect((await list(first.authorization)).body).toMatchObject({ devices: [{ name: 'Work laptop' }] });
  });

  it('terminates all other sessions at once: their sockets close, their credentials say session_ended, this device stays', async () => {
    const first = await registerAccount(server.url);
    const second = await addDevice(server.url, first);
    const third = await addDevice(server.url, first);
    const { socket: secondSocket } = await TestSocket.ready(server.url, second.authorization);
    const { socket: kept } = await TestSocket.ready(server.url, first.authorization);

    const answer = await request(server.url, 'DELETE', '/v1/devices/others', { authorization: first.authorization });
    expect(answer).toMatchObject({ status: 200, body: { terminated: [2, 3] } });
    expect(await secondSocket.closed).toMatchObject({ code: CLOSE_CODES.removed });
    for (const ended of [second, third]) {
      expect(await list(ended.authorization)).toMatchObject({ status: 401, body: { error: { code: 'session_ended' } } });
    }
    expect((await list(first.authorization)).body).toMatchObject({ devices: [{ deviceId: 1 }] });
    kept.send({ type: 'ping', requestId: 'still-here' });
    expect(await kept.next('pong')).toMatchObject({ requestId: 'still-here' });
    await kept.close();

    // Alone now: nothing to terminate, and still signed in.
    expect(await request(server.url, 'DELETE', '/v1/devices/others', { authorization: first.authorization })).toMatchObject({
      status: 200,
      body: { terminated: [] },
    });
  });

  it('never gives a removed device id again, so the removed device still hears session_ended', async () => {
    const first = await registerAccount(server.url);
    const second = await addDevice(server.url, first);
    expect((await request(server.url, 'DELETE', '/v1/devices/2', { authorization: first.authorization })).status).toBe(204);
    const third = await addDevice(server.url, first);
    expect(third.deviceId).toBe(3);
    expect(await list(second.authorization)).toMatchObject({ status: 401, body: { error: { code: 'session_ended' } } });
  });

  it('keeps one device when two devices terminate all others at once', async () => {
    const first = await registerAccount(server.url);
    const second = await addDevice(server.url, first);
    const answers = await Promise.all(
      [first, second].map((device) => request(server.url, 'DELETE', '/v1/devices/others', { authorization: device.authorization })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const survivor = answers[0]!.status === 200 ? first : second;
    expect((await list(survivor.authorization)).body).toMatchObject({ devices: [{ deviceId: survivor.deviceId }] });
  });

  it('tells a terminated device session_ended at the socket too, and a wrong secret only unauthorized', async () => {
    const first = await registerAccount(server.url);
    const second = await addDevice(server.url, first);
    expect((await request(server.url, 'DELETE', '/v1/devices/2', { authorization: first.authorization })).status).toBe(204);
    expect(await TestSocket.refusalBody(server.url, '/v1/websocket', second.authorization)).toMatchObject({
      status: 401,
      body: { error: { code: 'session_ended' } },
    });
    const wrongSecret = basic(`${first.accountId}.1`, 'not the secret at all, but long enough');
    expect(await list(wrongSecret)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await TestSocket.refusalBody(server.url, '/v1/websocket', wrongSecret)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
  });
});
