import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-shared/domain/limits';
import { testBackends } from '../testing/backends';
import { fakeDeviceKeys } from '../testing/fakeKeys';
import { addDevice, basic, registerAccount, request, uniqueUsername } from '../testing/httpClient';
import { startTestServer, type TestServer } from '../testing/testServer';

const errorCode = (body: unknown) => (body as { error?: { code?: string } }).error?.code;

describe.each(testBackends())('HTTP routes on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('answers health without auth', async () => {
    const answer = await request(server.url, 'GET', '/v1/health');
    expect(answer).toMatchObject({ status: 200, body: { ok: true, protocolVersion: 1 } });
  });

  it('registers an account with a random id, device 1 and the normalised username', async () => {
    const name = uniqueUsername('Mixed');
    const answer = await request(server.url, 'POST', '/v1/accounts', {
      body: { username: `@${name.toUpperCase()}`, password: 'long enough password', device: fakeDeviceKeys() },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ accountId: expect.stringMatching(/^[0-9a-f-]{36}$/), deviceId: 1, username: name.toLowerCase() });
  });

  it('refuses a username taken in any letter case with 409 username_taken', async () => {
    const first = await registerAccount(server.url);
    const answer = await request(server.url, 'POST', '/v1/accounts', {
      body: { username: first.username.toUpperCase(), password: 'another password', device: fakeDeviceKeys() },
    });
    expect(answer.status).toBe(409);
    expect(errorCode(answer.body)).toBe('username_taken');
  });

  it('refuses two concurrent registrations of one name but accepts one', async () => {
    const username = uniqueUsername();
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        request(server.url, 'POST', '/v1/accounts', { body: { username, password: 'same password', device: fakeDeviceKeys() } }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
  });

  it.each([
    ['a missing device', { username: 'valid_name', password: 'long enough password' }, 'device'],
    ['a short password', { username: 'valid_name', password: 'short', device: 'filled in below' }, 'password'],
    ['a username with spaces', { username: 'not valid', password: 'long enough password', device: 'filled in below' }, 'username'],
    ['a number for a username', { username: 42, password: 'long enough password', device: 'filled in below' }, 'username'],
  ])('answers %s with 400 bad_request naming the field', async (_label, body, field) => {
    const withDevice = 'device' in body ? { ...body, device: fakeDeviceKeys() } : body;
    const answer = await request(server.url, 'POST', '/v1/accounts', { body: withDevice });
    expect(answer.status).toBe(400);
    expect(errorCode(answer.body)).toBe('bad_request');
    expect((answer.body as { error: { message: string } }).error.message).toContain(field);
  });

  it('answers invalid JSON with 400 bad_request', async () => {
    const answer = await request(server.url, 'POST', '/v1/accounts', { rawBody: '{"username": ' });
    expect(answer.status).toBe(400);
    expect(errorCode(answer.body)).toBe('bad_request');
  });

  it('answers a body over the frame limit with 413 payload_too_large, and keeps serving', async () => {
    const answer = await request(server.url, 'POST', '/v1/accounts', { rawBody: 'x'.repeat(LIMITS.frameMaxBytes + 1) });
    expect(answer.status).toBe(413);
    expect(errorCode(answer.body)).toBe('payload_too_large');
    expect((await request(server.url, 'GET', '/v1/health')).status).toBe(200);
  });

  it('answers unknown routes and methods with 404 not_found', async () => {
    expect((await request(server.url, 'GET', '/v1/nothing')).status).toBe(404);
    const wrongMethod = await request(server.url, 'DELETE', '/v1/accounts');
    expect(wrongMethod.status).toBe(404);
    expect(errorCode(wrongMethod.body)).toBe('not_found');
  });

  it('adds devices with the account password, each with the next free id', async () => {
    const first = await registerAccount(server.url);
    const second = await addDevice(server.url, first);
    const third = await addDevice(server.url, first);
    expect([second.deviceId, third.deviceId]).toEqual([2, 3]);
    expect(second.accountId).toBe(first.accountId);
    expect(second.username).toBe(first.username);
  });

  it('refuses to add a device with a wrong password, an unknown user or no credentials (401)', async () => {
    const first = await registerAccount(server.url);
    const device = fakeDeviceKeys({ identityKey: first.keys.identityKey });
    for (const authorization of [basic(first.username, 'wrong password'), basic(uniqueUsername(), first.password), undefined]) {
      const answer = await request(server.url, 'POST', '/v1/devices', { body: { device }, authorization });
      expect(answer.status).toBe(401);
      expect(errorCode(answer.body)).toBe('unauthorized');
    }
  });

  it('refuses a device whose identity key is not the account one with identity_mismatch', async () => {
    const first = await registerAccount(server.url);
    const answer = await request(server.url, 'POST', '/v1/devices', {
      body: { device: fakeDeviceKeys() },
      authorization: basic(first.username, first.password),
    });
    expect(answer.status).toBe(409);
    expect(errorCode(answer.body)).toBe('identity_mismatch');
  });

  it(`refuses a device past ${LIMITS.devicesPerAccount} with too_many_devices`, async () => {
    const first = await registerAccount(server.url);
    for (let count = 1; count < LIMITS.devicesPerAccount; count++) await addDevice(server.url, first);
    const answer = await request(server.url, 'POST', '/v1/devices', {
      body: { device: fakeDeviceKeys({ identityKey: first.keys.identityKey }) },
      authorization: basic(first.username, first.password),
    });
    expect(answer.status).toBe(409);
    expect(errorCode(answer.body)).toBe('too_many_devices');
  });

  it('looks an account up by username (any case) and by id, for authenticated devices only', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const byName = await request(server.url, 'GET', `/v1/accounts/lookup?username=${bob.username.toUpperCase()}`, {
      authorization: alice.authorization,
    });
    expect(byName).toMatchObject({ status: 200, body: { accountId: bob.accountId, username: bob.username } });
    const byId = await request(server.url, 'GET', `/v1/accounts/${bob.accountId}`, { authorization: alice.authorization });
    expect(byId).toMatchObject({ status: 200, body: { accountId: bob.accountId, username: bob.username } });

    const unknown = await request(server.url, 'GET', `/v1/accounts/lookup?username=${uniqueUsername()}`, {
      authorization: alice.authorization,
    });
    expect(unknown.status).toBe(404);
    const unknownId = await request(server.url, 'GET', `/v1/accounts/${crypto.randomUUID()}`, { authorization: alice.authorization });
    expect(unknownId.status).toBe(404);
    const notAnId = await request(server.url, 'GET', '/v1/accounts/not-an-id', { authorization: alice.authorization });
    expect(notAnId.status).toBe(400);
    expect((await request(server.url, 'GET', `/v1/accounts/lookup?username=${bob.username}`)).status).toBe(401);
  });

  it('changes a username (A3): the old one is released at once, a taken or malformed one is refused, and the password signs in under the new name', async () => {
    const alice = await registerAccount(server.url);
    const bob = await registerAccount(server.url);
    const change = (device: typeof alice, body: unknown) => request(server.url, 'PUT', '/v1/accounts/username', { authorization: device.authorization, body });
    const renamed = uniqueUsername();
    expect(await change(alice, { username: renamed.toUpperCase() })).toMatchObject({ status: 200, body: { accountId: alice.accountId, username: renamed } });
    const lookup = (username: string) => request(server.url, 'GET', `/v1/accounts/lookup?username=${username}`, { authorization: bob.authorization });
    expect((await lookup(alice.username)).status).toBe(404);
    expect(await lookup(renamed)).toMatchObject({ status: 200, body: { accountId: alice.accountId } });
    // The same name again changes nothing; bob's name is his.
    expect((await change(alice, { username: renamed })).status).toBe(200);
    expect(await change(alice, { username: bob.username })).toMatchObject({ status: 409, body: { error: { code: 'username_taken' } } });
    for (const body of [{}, { username: 'x' }, { username: 'has space' }, { username: renamed, extra: 1 }]) expect((await change(alice, body)).status).toBe(400);
    expect((await request(server.url, 'PUT', '/v1/accounts/username', { body: { username: uniqueUsername() } })).status).toBe(401);
    // The released name is held for alice a week (nobody appears under it to those who still know it as hers) …
    expect(await change(bob, { username: alice.username })).toMatchObject({ status: 409, body: { error: { code: 'username_taken' } } });
    expect((await request(server.url, 'POST', '/v1/accounts', { body: { username: alice.username, password: 'correct horse battery', device: fakeDeviceKeys() } })).status).toBe(409);
    // … then it is anyone's: bob takes it.
    server.clock.advance(8 * 24 * 60 * 60 * 1000);
    expect(await change(bob, { username: alice.username })).toMatchObject({ status: 200, body: { accountId: bob.accountId, username: alice.username } });
    // The password now goes with the new name.
    const listed = await request(server.url, 'GET', '/v1/devices', { authorization: basic(renamed, alice.password) });
    expect(listed.status).toBe(200);
  });

  it('refuses bad device credentials with 401: session_ended for a device the account does not have, unauthorized otherwise', async () => {
    const alice = await registerAccount(server.url);
    for (const authorization of [basic(`${alice.accountId}.2`, alice.secret), basic(`${crypto.randomUUID()}.1`, alice.secret)]) {
      const answer = await request(server.url, 'GET', '/v1/keys', { authorization });
      expect(answer.status, authorization).toBe(401);
      expect(errorCode(answer.body)).toBe('session_ended');
    }
    const attempts = [
      basic(`${alice.accountId}.1`, `${alice.secret.slice(0, -2)}AA`),
      basic(alice.accountId, alice.secret),
      basic(`${alice.accountId}.1`, ''),
      `Bearer ${alice.secret}`,
      'Basic !!!',
    ];
    for (const authorization of attempts) {
      const answer = await request(server.url, 'GET', '/v1/keys', { authorization });
      expect(answer.status, authorization).toBe(401);
      expect(errorCode(answer.body)).toBe('unauthorized');
    }
    expect((await request(server.url, 'GET', '/v1/keys', { authorization: alice.authorization })).status).toBe(200);
  });

  it('never logs passwords, device secrets, usernames or addresses', async () => {
    const alice = await registerAccount(server.url, { password: 'a very memorable password' });
    await addDevice(server.url, alice);
    await request(server.url, 'POST', '/v1/devices', { body: {}, authorization: basic(alice.username, 'wrong password 123') });
    const logs = server.logs.join('\n');
    expect(logs).toContain('http_request');
    for (const secret of ['a very memorable password', 'wrong password 123', alice.secret, alice.username, '127.0.0.1']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('meets 50 wrong passwords in a row with 429 and Retry-After after a few, and refuses the right one during back-off', async () => {
    const alice = await registerAccount(server.url);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 50; attempt++) {
      const answer = await request(server.url, 'POST', '/v1/devices', {
        body: { device: fakeDeviceKeys({ identityKey: alice.keys.identityKey }) },
        authorization: basic(alice.username, `wrong password ${attempt}`),
      });
      statuses.push(answer.status);
      if (answer.status === 429) {
        expect(errorCode(answer.body)).toBe('rate_limited');
        retryAfter = answer.headers.get('retry-after');
      }
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const right = await request(server.url, 'POST', '/v1/devices', {
      body: { device: fakeDeviceKeys({ identityKey: alice.keys.identityKey }) },
      authorization: basic(alice.username, alice.password),
    });
    expect(right.status).toBe(429);
  });

  it('refuses a device whose signed prekey is not signed by the account identity, with invalid_signature', async () => {
    const alice = await registerAccount(server.url);
    const answer = await request(server.url, 'POST', '/v1/devices', {
      body: { device: fakeDeviceKeys({ identityKey: alice.keys.identityKey, badSignature: 'signedPreKey' }) },
      authorization: basic(alice.username, alice.password),
    });
    expect(answer.status).toBe(400);
    expect(errorCode(answer.body)).toBe('invalid_signature');
  });
});

describe.each(testBackends())('registration limits on $name', (backend) => {
  it('refuses registrations past the per-source limit with 429 and Retry-After', async () => {
    const server = await startTestServer(backend, { limits: { registrationsPerSourcePerHour: 3 } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let attempt = 0; attempt < 5; attempt++) {
        const answer = await request(server.url, 'POST', '/v1/accounts', {
          body: { username: uniqueUsername(), password: 'long enough password', device: fakeDeviceKeys() },
        });
        statuses.push(answer.status);
        if (answer.status === 429) retryAfter = answer.headers.get('retry-after');
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(60);
    } finally {
      await server.close();
    }
  });
});
