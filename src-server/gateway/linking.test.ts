import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_TTL_MS } from '../../src-shared/protocol/linking';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { registerAccount, request } from '../testing/httpClient';
import { startTestServer, type TestServer } from '../testing/testServer';

const BLOB = Buffer.from('sealed for the new device only').toString('base64');

describe.each(testBackends())('linking a device over HTTP on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());
  const open = async () => (await request(server.url, 'POST', '/v1/provisioning', {})).body as { address: string; expiresAt: number };
  const collect = (address: string, wait = 0) => request(server.url, 'GET', `/v1/provisioning/${address}?wait=${wait}`, {});
  const deliver = (address: string, authorization: string, body: unknown = { body: BLOB }) =>
    request(server.url, 'PUT', `/v1/provisioning/${address}`, { authorization, body });

  it('carries one sealed blob from an existing device to the waiting new one, once', async () => {
    const alice = await registerAccount(server.url);
    const slot = await open();
    expect(slot.address).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(slot.expiresAt).toBe(server.clock.now() + LINK_TTL_MS);
    expect((await collect(slot.address)).status).toBe(204);

    const waiting = collect(slot.address, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await deliver(slot.address, alice.authorization)).status).toBe(204);
    expect(await waiting).toMatchObject({ status: 200, body: { body: BLOB } });
    // Collected is gone: neither a second collect nor a second delivery finds it.
    expect(await collect(slot.address)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await deliver(slot.address, alice.authorization)).status).toBe(404);
  });

  it('refuses a second blob, an unknown or malformed address, a delivery without device credentials, and a body that is not base64', async () => {
    const alice = await registerAccount(server.url);
    const slot = await open();
    expect((await deliver(slot.address, alice.authorization)).status).toBe(204);
    expect(await deliver(slot.address, alice.authorization)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await deliver('A'.repeat(22), alice.authorization)).status).toBe(404);
    expect((await collect('not-an-address')).status).toBe(400);
    expect((await request(server.url, 'PUT', `/v1/provisioning/${(await open()).address}`, { body: { body: BLOB } })).status).toBe(401);
    expect((await deliver((await open()).address, alice.authorization, { body: 'not base64!' })).status).toBe(400);
    expect((await collect(slot.address, 31)).status).toBe(400);
  });

  it('forgets an address once it expires', async () => {
    const alice = await registerAccount(server.url);
    const slot = await open();
    server.clock.advance(LINK_TTL_MS + 1);
    expect((await deliver(slot.address, alice.authorization)).status).toBe(404);
    expect((await collect(slot.address)).status).toBe(404);
  });

  it('registers one more device with a link token, once; a refused registration keeps the token', async () => {
    const alice = await registerAccount(server.url);
    const issued = await request(server.url, 'POST', '/v1/devices/link-tokens', { authorization: alice.authorization });
    expect(issued.status).toBe(201);
    const { token, expiresAt } = issued.body as { token: string; expiresAt: number };
    expect(expiresAt).toBe(server.clock.now() + LINK_TTL_MS);
    const link = (device = fakeDeviceKeys({ identityKey: alice.keys.identityKey }), linkToken = token) =>
      request(server.url, 'POST', '/v1/devices/linked', { body: { linkToken, device } });

    expect(await link(fakeDeviceKeys())).toMatchObject({ status: 409, body: { error: { code: 'identity_mismatch' } } });
    expect(await link()).toMatchObject({ status: 201, body: { accountId: alice.accountId, deviceId: 2, username: alice.username } });
    expect(await link()).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await link(undefined, 'x'.repeat(43))).status).toBe(403);
    expect((await link(undefined, 'short')).status).toBe(400);
    expect((await request(server.url, 'POST', '/v1/devices/link-tokens', {})).status).toBe(401);
  });

  it('answers a repeated registration (same token, same device) the same, and one collector only gets the blob', async () => {
    const alice = await registerAccount(server.url);
    const { token } = (await request(server.url, 'POST', '/v1/devices/link-tokens', { authorization: alice.authorization })).body as { token: string };
    const device = fakeDeviceKeys({ identityKey: alice.keys.identityKey });
    const first = await request(server.url, 'POST', '/v1/devices/linked', { body: { linkToken: token, device } });
    const again = await request(server.url, 'POST', '/v1/devices/linked', { body: { linkToken: token, device } });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body as object });
    expect(((await request(server.url, 'GET', '/v1/devices', { authorization: alice.authorization })).body as { devices: unknown[] }).devices).toHaveLength(2);

    const slot = await open();
    const older = collect(slot.address, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const newer = collect(slot.address, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await older).status).toBe(204); // the newer wait ended it
    await deliver(slot.address, alice.authorization);
    expect(await newer).toMatchObject({ status: 200, body: { body: BLOB } });
  });

  it('refuses an expired link token', async () => {
    const alice = await registerAccount(server.url);
    const { token } = (await request(server.url, 'POST', '/v1/devices/link-tokens', { authorization: alice.authorization })).body as { token: string };
    server.clock.advance(LINK_TTL_MS + 1);
    const answer = await request(server.url, 'POST', '/v1/devices/linked', { body: { linkToken: token, device: fakeDeviceKeys({ identityKey: alice.keys.identityKey }) } });
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });
});
