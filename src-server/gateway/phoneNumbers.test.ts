import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../testing/backends';
import { registerAccount, request } from '../testing/httpClient';
import { buildServer } from '../app';
import { randomServerSecrets, SecretsError } from '../secrets/serverSecrets';
import { noSmsProvider } from '../services/smsProvider';
import { startTestServer, type TestServer } from '../testing/testServer';

const NUMBER = '+44 20 7946 0958';
const E164 = '+442079460958';

describe.each(testBackends())('phone numbers over HTTP on $name (H3)', (backend) => {
  let server: TestServer;
  const sent: Array<{ to: string; code: string }> = [];
  beforeAll(async () => {
    server = await startTestServer(backend, { sms: { send: async (to, code) => void sent.push({ to, code }) } });
  });
  afterAll(() => server.close());
  const call = (authorization: string, method: string, path: string, body?: unknown) => request(server.url, method, path, { authorization, ...(body === undefined ? {} : { body }) });
  const lastCode = () => sent.at(-1)!.code;

  it('verifies a number by code, shows it to its owner only, finds the account while it allows, and removes it', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    expect((await call(alice.authorization, 'GET', '/v1/phone')).status).toBe(404);
    expect((await call(alice.authorization, 'POST', '/v1/phone/code', { number: NUMBER })).status).toBe(204);
    expect(sent.at(-1)).toMatchObject({ to: E164 });
    const wrong = lastCode() === '000000' ? '111111' : '000000';
    expect(await call(alice.authorization, 'POST', '/v1/phone/verify', { code: wrong })).toMatchObject({ status: 403 });
    expect(await call(alice.authorization, 'POST', '/v1/phone/verify', { code: lastCode() })).toMatchObject({ status: 200, body: { number: E164, discoverable: true } });
    expect(await call(alice.authorization, 'GET', '/v1/phone')).toMatchObject({ status: 200, body: { number: E164, discoverable: true } });

    const lookup = (number: string) => call(bob.authorization, 'POST', '/v1/phone/lookup', { number });
    expect(await lookup('+442079460958')).toMatchObject({ status: 200, body: { accountId: alice.accountId, username: alice.username } });
    // Switched off: the same answer as a number nobody has.
    expect(await call(alice.authorization, 'PUT', '/v1/phone/discoverable', { discoverable: false })).toMatchObject({ status: 200, body: { discoverable: false } });
    expect((await lookup(E164)).status).toBe(404);
    expect((await lookup('+12025550143')).status).toBe(404);
    await call(alice.authorization, 'PUT', '/v1/phone/discoverable', { discoverable: true });
    expect((await lookup(E164)).status).toBe(200);

    // Nowhere in the server's logs, and gone at once when removed.
    expect(server.logs.join('\n')).not.toContain('2079460958');
    expect((await call(alice.authorization, 'DELETE', '/v1/phone')).status).toBe(204);
    expect((await lookup(E164)).status).toBe(404);
    expect((await call(alice.authorization, 'GET', '/v1/phone')).status).toBe(404);
  });

  it('gives a number to the account that verified it last, and refuses what is malformed, unauthenticated or guessed', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const number = '+33 1 42 68 53 00';
    for (const device of [alice, bob]) {
      await call(device.authorization, 'POST', '/v1/phone/code', { number });
      expect((await call(device.authorization, 'POST', '/v1/phone/verify', { code: lastCode() })).status).toBe(200);
    }
    expect(await call(alice.authorization, 'POST', '/v1/phone/lookup', { number })).toMatchObject({ body: { accountId: bob.accountId } });
    expect((await call(alice.authorization, 'GET', '/v1/phone')).status).toBe(404);

    for (const body of [{}, { number: '12345' }, { number: '+1 000' }, { number: 'x'.repeat(40) }, { number, extra: 1 }]) {
      expect((await call(alice.authorization, 'POST', '/v1/phone/code', body)).status).toBe(400);
    }
    for (const body of [{ code: '12345' }, { code: 'abcdef' }, {}]) expect((await call(alice.authorization, 'POST', '/v1/phone/verify', body)).status).toBe(400);
    expect((await request(server.url, 'POST', '/v1/phone/code', { body: { number } })).status).toBe(401);
    expect((await request(server.url, 'POST', '/v1/phone/lookup', { body: { number } })).status).toBe(401);
    expect((await call(alice.authorization, 'PUT', '/v1/phone/discoverable', { discoverable: false })).status).toBe(404);

    // Five wrong tries use the code up: the right one no longer works.
    await call(alice.authorization, 'POST', '/v1/phone/code', { number: '+49 30 901820' });
    const right = lastCode();
    const wrong = right === '999999' ? '888888' : '999999';
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await call(alice.authorization, 'POST', '/v1/phone/verify', { code: wrong })).status).toBe(403);
    expect((await call(alice.authorization, 'POST', '/v1/phone/verify', { code: right })).status).toBe(403);
  });

  it('syncs contacts as keyed hashes only, names who of them can be found, and deletes them at once (B2)', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const carol = await registerAccount(server.url);
    const verify = async (device: typeof alice, number: string) => {
      await call(device.authorization, 'POST', '/v1/phone/code', { number });
      await call(device.authorization, 'POST', '/v1/phone/verify', { code: lastCode() });
    };
    await verify(bob, '+46 8 123 456 78');
    await verify(carol, '+39 06 6982');
    await call(carol.authorization, 'PUT', '/v1/phone/discoverable', { discoverable: false });
    const sync = (numbers: string[]) => call(alice.authorization, 'PUT', '/v1/contacts/synced', { numbers });
    const answer = await sync(['+1 202 555 0143', '+46812345678', '+39066982']);
    expect(answer).toMatchObject({ status: 200, body: { matches: [{ index: 1, accountId: bob.accountId, username: bob.username }] } });
    expect((await sync(['not a number'])).status).toBe(400);
    expect((await sync(Array.from({ length: 5_001 }, () => '+46812345678'))).status).toBe(400);
    expect((await request(server.url, 'PUT', '/v1/contacts/synced', { body: { numbers: [] } })).status).toBe(401);
    expect((await call(alice.authorization, 'DELETE', '/v1/contacts/synced')).status).toBe(204);
    expect(server.logs.join('\n')).not.toContain('812345678');
  });

  it('takes no phone numbers when no SMS provider is set up, and will not start over numbers sealed with lost keys', async () => {
    const silent = await startTestServer(backend, { sms: noSmsProvider });
    try {
      const alice = await registerAccount(silent.url);
      const answer = await request(silent.url, 'POST', '/v1/phone/code', { authorization: alice.authorization, body: { number: NUMBER } });
      expect(answer).toMatchObject({ status: 403 });
      expect(answer.text).toContain('not set up to send SMS codes');
    } finally {
      await silent.close();
    }
    // This suite's server holds numbers now: a secrets directory made just now cannot have sealed them.
    const database = server.database;
    await expect(
      buildServer({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, databaseSchema: database.databaseSchema, secrets: { ...randomServerSecrets(), madeNow: true } }),
    ).rejects.toThrow(SecretsError);
  });
});
