import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../testing/backends';
import { registerAccount, request } from '../testing/httpClient';
import { startTestServer, type TestServer } from '../testing/testServer';

const VERSION_1 = '0123456789abcdef0123456789abcdef';
const VERSION_2 = 'fedcba9876543210fedcba9876543210';
const sealed = (text: string) => Buffer.from(`sealed ${text}`).toString('base64');

describe.each(testBackends())('sealed profiles over HTTP on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());
  const put = (authorization: string, body: unknown) => request(server.url, 'PUT', '/v1/profile', { authorization, body });
  const get = (authorization: string, accountId: string, version: string) => request(server.url, 'GET', `/v1/profile/${accountId}/${version}`, { authorization });

  it('keeps one sealed profile per account and hands it out only under its current version', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    expect((await get(bob.authorization, alice.accountId, VERSION_1)).status).toBe(404);
    expect((await put(alice.authorization, { version: VERSION_1, ciphertext: sealed('one') })).status).toBe(204);
    expect(await get(bob.authorization, alice.accountId, VERSION_1)).toMatchObject({ status: 200, body: { ciphertext: sealed('one') } });

    // A new key (a rotation): the old version finds nothing any more.
    expect((await put(alice.authorization, { version: VERSION_2, ciphertext: sealed('two') })).status).toBe(204);
    expect((await get(bob.authorization, alice.accountId, VERSION_1)).status).toBe(404);
    expect(await get(bob.authorization, alice.accountId, VERSION_2)).toMatchObject({ status: 200, body: { ciphertext: sealed('two') } });
  });

  it('refuses what is malformed, too large or unauthenticated, and keeps what it had', async () => {
    const alice = await registerAccount(server.url);
    await put(alice.authorization, { version: VERSION_1, ciphertext: sealed('kept') });
    for (const body of [
      {},
      { version: 'XYZ', ciphertext: sealed('x') },
      { version: VERSION_2, ciphertext: 'not base64!' },
      { version: VERSION_2, ciphertext: Buffer.alloc(5_000).toString('base64') },
      { version: VERSION_2, ciphertext: sealed('x'), extra: true },
    ]) {
      expect((await put(alice.authorization, body)).status).toBe(400);
    }
    expect((await request(server.url, 'PUT', '/v1/profile', { body: { version: VERSION_2, ciphertext: sealed('x') } })).status).toBe(401);
    expect((await request(server.url, 'GET', `/v1/profile/${alice.accountId}/${VERSION_1}`, {})).status).toBe(401);
    expect((await get(alice.authorization, 'not-an-id', VERSION_1)).status).toBe(400);
    expect(await get(alice.authorization, alice.accountId, VERSION_1)).toMatchObject({ status: 200, body: { ciphertext: sealed('kept') } });
  });

  it('keeps one sealed avatar per account, under its current version only, and deletes it on request (A4)', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const putAvatar = (body: unknown) => request(server.url, 'PUT', '/v1/avatar', { authorization: alice.authorization, body });
    const getAvatar = (version: string) => request(server.url, 'GET', `/v1/avatar/${alice.accountId}/${version}`, { authorization: bob.authorization });
    const image = Buffer.alloc(200 * 1024, 7).toString('base64');
    expect((await putAvatar({ version: VERSION_1, ciphertext: image })).status).toBe(204);
    expect(await getAvatar(VERSION_1)).toMatchObject({ status: 200, body: { ciphertext: image } });
    // The profile under the same version is another thing: none was stored.
    expect((await get(bob.authorization, alice.accountId, VERSION_1)).status).toBe(404);

    expect((await putAvatar({ version: VERSION_2, ciphertext: sealed('two') })).status).toBe(204);
    expect((await getAvatar(VERSION_1)).status).toBe(404);
    for (const body of [{ version: VERSION_1 }, { version: 'x', ciphertext: sealed('x') }, { version: VERSION_1, ciphertext: 'not base64!' }]) {
      expect((await putAvatar(body)).status).toBe(400);
    }
    expect((await putAvatar({ version: VERSION_1, ciphertext: Buffer.alloc(310 * 1024).toString('base64') })).status).toBe(413);
    expect(await getAvatar(VERSION_2)).toMatchObject({ status: 200, body: { ciphertext: sealed('two') } });
    expect((await request(server.url, 'DELETE', '/v1/avatar', {})).status).toBe(401);
    expect((await request(server.url, 'DELETE', '/v1/avatar', { authorization: alice.authorization })).status).toBe(204);
    expect((await getAvatar(VERSION_2)).status).toBe(404);
  });
});
