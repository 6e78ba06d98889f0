import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { addDevice, basic, registerAccount, request, type TestDevice } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';
import { CLOSE_CODES } from './websocketSession';

const item = (id: string) => ({ id, body: Buffer.from(`sealed ${id}`).toString('base64') });

describe.each(testBackends())('a fresh start (POST /v1/accounts/fresh-start) on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());
  const freshStart = (authorization: string | undefined, body: unknown) =>
    request(server.url, 'POST', '/v1/accounts/fresh-start', { ...(authorization && { authorization }), body });
  const passwordOf = (device: TestDevice) => basic(device.username, device.password);
  const credentialsOf = (accountId: string, deviceId: number, secret: string) => basic(`${accountId}.${deviceId}`, secret);

  it('lists the devices to whoever proves the password, so a new machine can say where the account still is', async () => {
    const desk = await registerAccount(server.url, { keys: fakeDeviceKeys({ name: 'Desk' }) });
    await addDevice(server.url, desk, fakeDeviceKeys({ identityKey: desk.keys.identityKey, name: 'Laptop' }));
    expect((await request(server.url, 'GET', '/v1/devices', { authorization: passwordOf(desk) })).body).toMatchObject({
      devices: [{ deviceId: 1, name: 'Desk' }, { deviceId: 2, name: 'Laptop' }],
    });
    expect((await request(server.url, 'GET', '/v1/devices', { authorization: basic(desk.username, 'wrong password!') })).status).toBe(401);
  });

  it('replaces every device, the identity, the archive and the link tokens with one new device', async () => {
    const desk = await registerAccount(server.url);
    const laptop = await addDevice(server.url, desk);
    const { socket: deskSocket } = await TestSocket.ready(server.url, desk.authorization);
    const { socket: laptopSocket } = await TestSocket.ready(server.url, laptop.authorization);
    const archive = (authorization: string) => request(server.url, 'GET', '/v1/archive/items', { authorization });
    expect((await request(server.url, 'POST', '/v1/archive/items', { authorization: desk.authorization, body: { epoch: 0, items: [item('old1')] } })).status).toBe(200);
    const token = (await request(server.url, 'POST', '/v1/devices/link-tokens', { authorization: desk.authorization })).body as { token: string };

    const keys = fakeDeviceKeys({ name: 'New machine' });
    const answer = await freshStart(passwordOf(desk), { device: keys });
    expect(answer).toMatchObject({ status: 201, body: { accountId: desk.accountId, deviceId: 3, username: desk.username, registeredAt: expect.any(Number), archive: { enabled: true, epoch: 1 } } });
    const fresh = credentialsOf(desk.accountId, 3, keys.secret);

    // The old devices are cut off at once, as a terminated device is.
    expect(await deskSocket.closed).toMatchObject({ code: CLOSE_CODES.removed });
    expect(await laptopSocket.closed).toMatchObject({ code: CLOSE_CODES.removed });
    for (const old of [desk, laptop]) expect((await request(server.url, 'GET', '/v1/keys', { authorization: old.authorization })).status).toBe(401);
    // The new device is the only one, and carries the new identity.
    expect((await request(server.url, 'GET', '/v1/devices', { authorization: fresh })).body).toMatchObject({ devices: [{ deviceId: 3, name: 'New machine' }] });
    const stranger = await registerAccount(server.url);
    const bundle = await request(server.url, 'GET', `/v1/keys/${desk.accountId}`, { authorization: stranger.authorization });
    expect(bundle.body).toMatchObject({ identityKey: keys.identityKey, devices: [{ deviceId: 3 }] });
    // The archive the old keys sealed is gone, and what an old device staged is refused.
    expect((await archive(fresh)).body).toEqual({ items: [], next: null });
    expect((await request(server.url, 'GET', '/v1/archive/settings', { authorization: fresh })).body).toEqual({ enabled: true, epoch: 1 });
    expect((await request(server.url, 'POST', '/v1/archive/items', { authorization: fresh, body: { epoch: 0, items: [item('stale')] } })).status).toBe(403);
    // A link token an old device was issued adds nothing to the new identity.
    const linked = await request(server.url, 'POST', '/v1/devices/linked', { body: { linkToken: token.token, device: fakeDeviceKeys({ identityKey: keys.identityKey }) } });
    expect(linked).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    // The new device adds devices as any other.
    expect((await addDevice(server.url, { ...desk, keys }, fakeDeviceKeys({ identityKey: keys.identityKey }))).deviceId).toBe(4);
  });

  it('refuses a wrong password, no password, device credentials and badly signed keys, and changes nothing', async () => {
    const desk = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, desk.authorization);
    expect((await freshStart(basic(desk.username, 'not the password'), { device: fakeDeviceKeys() })).status).toBe(401);
    expect((await freshStart(undefined, { device: fakeDeviceKeys() })).status).toBe(401);
    expect((await freshStart(desk.authorization, { device: fakeDeviceKeys() })).status).toBe(401);
    expect(await freshStart(passwordOf(desk), { device: fakeDeviceKeys({ badSignature: 'signedPreKey' }) })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_signature' } },
    });
    expect((await freshStart(passwordOf(desk), { device: { name: 'no keys' } })).status).toBe(400);
    expect((await request(server.url, 'GET', '/v1/devices', { authorization: desk.authorization })).body).toMatchObject({ devices: [{ deviceId: 1 }] });
    socket.send({ type: 'ping', requestId: 'still-here' });
    expect(await socket.next('pong')).toMatchObject({ requestId: 'still-here' });
    await socket.close();
  });
});

describe.each(testBackends())('fresh start limits on $name', (backend) => {
  it('refuses fresh starts past the per-source limit with 429 (wrong passwords meet the password back-off instead)', async () => {
    const server = await startTestServer(backend, { limits: { freshStartsPerSourcePerHour: 2 } });
    try {
      const alice = await registerAccount(server.url);
      const statuses: number[] = [];
      for (const password of [alice.password, 'wrong password here', alice.password, alice.password]) {
        const answer = await request(server.url, 'POST', '/v1/accounts/fresh-start', { authorization: basic(alice.username, password), body: { device: fakeDeviceKeys() } });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([201, 401, 201, 429]);
    } finally {
      await server.close();
    }
  });
});
