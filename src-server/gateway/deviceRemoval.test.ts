import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../bus/inProcessBus';
import { createJsonLinesLogger } from '../logger';
import { createDevicesService } from '../services/devices';
import { openDatabase } from '../storage/database';
import { createStorage, type Storage } from '../storage/storage';
import { testBackends } from '../testing/backends';
import { addDevice, basic, registerAccount, request } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';
import { CLOSE_CODES } from './websocketSession';

describe.each(testBackends())('a removed device on a live server on $name', (backend) => {
  let server: TestServer;
  let storage: Storage;
  // The server's own bus, shared with a devices service over a second connection to its
  // database: removal is tested below the HTTP route, which src-server/gateway wires.
  const bus = createInProcessBus(createJsonLinesLogger({ write: () => undefined }));
  beforeAll(async () => {
    server = await startTestServer(backend, { bus });
    storage = createStorage(await openDatabase(server.database));
  });
  afterAll(async () => {
    await storage.close();
    await server.close();
  });

  it(`has its socket closed with ${CLOSE_CODES.removed} and its credentials refused at once`, async () => {
    const devices = createDevicesService({ storage, bus, logger: createJsonLinesLogger({ write: () => undefined }) });
    const first = await registerAccount(server.url);
    const second = await addDevice(server.url, first);
    const { socket: removed } = await TestSocket.ready(server.url, second.authorization);
    const { socket: kept } = await TestSocket.ready(server.url, first.authorization);

    await devices.removeDevice({ kind: 'device', device: { accountId: first.accountId, deviceId: 1 } }, 2);

    expect(await removed.closed).toMatchObject({ code: CLOSE_CODES.removed });
    expect(await TestSocket.refusal(server.url, '/v1/websocket', second.authorization)).toBe(401);
    expect((await request(server.url, 'GET', '/v1/keys', { authorization: second.authorization })).status).toBe(401);
    kept.send({ type: 'ping', requestId: 'still-here' });
    expect(await kept.next('pong')).toMatchObject({ requestId: 'still-here' });
    await kept.close();
  });
});

describe.each(testBackends())('DELETE /v1/devices/:deviceId on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());
  const remove = (deviceId: number | string, authorization?: string) =>
    request(server.url, 'DELETE', `/v1/devices/${deviceId}`, authorization ? { authorization } : {});

  it('removes another device, or itself, with device credentials, and closes its socket', async () => {
    const first = await registerAccount(server.url);
    const second = await addDevice(server.url, first);
    const third = await addDevice(server.url, first);
    const { socket } = await TestSocket.ready(server.url, second.authorization);
    expect((await remove(2, first.authorization)).status).toBe(204);
    expect(await socket.closed).toMatchObject({ code: CLOSE_CODES.removed });
    expect((await remove(3, third.authorization)).status).toBe(204);
    expect((await request(server.url, 'GET', '/v1/keys', { authorization: third.authorization })).status).toBe(401);
  });

  it('removes a device with the account password', async () => {
    const first = await registerAccount(server.url);
    await addDevice(server.url, first);
    expect((await remove(1, basic(first.username, first.password))).status).toBe(204);
    expect((await request(server.url, 'GET', '/v1/keys', { authorization: first.authorization })).status).toBe(401);
  });

  it('refuses the last device (403), an unknown one (404), a malformed id (400) and no or wrong credentials (401)', async () => {
    const first = await registerAccount(server.url);
    const stranger = await registerAccount(server.url);
    expect(await remove(1, first.authorization)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await remove(5, first.authorization)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await remove('zero', first.authorization)).status).toBe(400);
    expect((await remove(0, first.authorization)).status).toBe(400);
    expect((await remove(1)).status).toBe(401);
    expect((await remove(1, basic(first.username, 'wrong password'))).status).toBe(401);
    // A device of another account removes only in its own account.
    await addDevice(server.url, first);
    expect((await remove(2, stranger.authorization)).status).toBe(404);
  });
});
