import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-shared/domain/limits';
import { DEFAULT_ABUSE_LIMITS } from '../abuseLimits';
import type { PreKeyBundle } from '../../src-shared/protocol/keys';
import { testBackends } from '../testing/backends';
import { fakeBase64, fakeDeviceKeys, fakeKyberPreKey, fakeKyberPreKeys, fakePreKeys, fakeSignedPreKey } from '../testing/fakeKeys';
import { addDevice, registerAccount, request, type TestDevice } from '../testing/httpClient';
import { TestSocket } from '../testing/testSocket';
import { startTestServer, type TestServer } from '../testing/testServer';

/** One-time keys below this many are never handed out (the last-resort keys serve instead). */
const floor = DEFAULT_ABUSE_LIMITS.oneTimePreKeyFloor;

describe.each(testBackends())('prekeys on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  const count = (device: TestDevice) => request(server.url, 'GET', '/v1/keys', { authorization: device.authorization });
  const bundle = async (requester: TestDevice, path: string) => {
    const answer = await request(server.url, 'GET', `/v1/keys/${path}`, { authorization: requester.authorization });
    expect(answer.status, answer.text).toBe(200);
    return answer.body as PreKeyBundle;
  };
  const upload = (device: TestDevice, body: unknown) =>
    request(server.url, 'PUT', '/v1/keys', { authorization: device.authorization, body });

  it('counts the one-time keys uploaded at registration and by refills', async () => {
    const alice = await registerAccount(server.url, { keys: fakeDeviceKeys({ preKeys: 3, kyberPreKeys: 2 }) });
    expect((await count(alice)).body).toEqual({ preKeys: 3, kyberPreKeys: 2 });

    expect((await upload(alice, { preKeys: fakePreKeys(10, 100), kyberPreKeys: fakeKyberPreKeys(4, 100, { identityKey: alice.keys.identityKey }) })).status).toBe(204);
    expect((await count(alice)).body).toEqual({ preKeys: 13, kyberPreKeys: 6 });

    // A key id uploaded again replaces the key rather than adding one.
    expect((await upload(alice, { preKeys: fakePreKeys(2, 100) })).status).toBe(204);
    expect((await count(alice)).body).toEqual({ preKeys: 13, kyberPreKeys: 6 });
  });

  it('refuses an empty or malformed upload with bad_request', async () => {
    const alice = await registerAccount(server.url);
    for (const body of [{}, { preKeys: [{ keyId: 0, publicKey: fakeBase64(33) }] }, { signedPreKey: { keyId: 1 } }]) {
      const answer = await upload(alice, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'bad_request' } });
    }
    const tooMany = await upload(alice, { preKeys: fakePreKeys(LIMITS.preKeysPerUpload + 1) });
    expect(tooMany.status).toBe(400);
  });

  it('hands out each one-time key once, oldest first, down to the floor, then the Kyber last-resort key', async () => {
    const keys = fakeDeviceKeys({ preKeys: floor + 2, kyberPreKeys: floor + 1 });
    const bob = await registerAccount(server.url, { keys });
    const alice = await registerAccount(server.url);

    const first = await bundle(alice, bob.accountId);
    expect(first.accountId).toBe(bob.accountId);
    expect(first.identityKey).toBe(keys.identityKey);
    expect(first.devices).toEqual([
      {
        deviceId: 1,
        registrationId: keys.registrationId,
        signedPreKey: keys.signedPreKey,
        preKey: keys.preKeys[0],
        kyberPreKey: keys.kyberPreKeys[0],
      },
    ]);
    const second = await bundle(alice, `${bob.accountId}/1`);
    expect(second.devices[0]?.preKey).toEqual(keys.preKeys[1]);
    expect(second.devices[0]?.kyberPreKey).toEqual(keys.kyberLastResortPreKey);

    const third = await bundle(alice, bob.accountId);
    expect(third.devices[0]?.preKey).toBeUndefined();
    expect(third.devices[0]?.kyberPreKey).toEqual(keys.kyberLastResortPreKey);
    expect((await count(bob)).body).toEqual({ preKeys: floor, kyberPreKeys: floor });
  });

  it('serves rotated signed and last-resort keys', async () => {
    const bob = await registerAccount(server.url, { keys: fakeDeviceKeys({ preKeys: 0, kyberPreKeys: 0 }) });
    const alice = await registerAccount(server.url);
    const signedPreKey = fakeSignedPreKey(2, { identityKey: bob.keys.identityKey });
    const kyberLastResortPreKey = fakeKyberPreKey(3, { identityKey: bob.keys.identityKey });
    expect((await upload(bob, { signedPreKey, kyberLastResortPreKey })).status).toBe(204);
    const fetched = await bundle(alice, bob.accountId);
    expect(fetched.devices[0]).toMatchObject({ signedPreKey, kyberPreKey: kyberLastResortPreKey });
  });

  it('refuses an upload whose signed keys are not signed by the account identity, storing none of it', async () => {
    const bob = await registerAccount(server.url, { keys: fakeDeviceKeys({ preKeys: 0, kyberPreKeys: 0 }) });
    const identityKey = bob.keys.identityKey;
    const refusals = [
      { signedPreKey: fakeSignedPreKey(2, { identityKey, badSignature: true }) },
      { kyberLastResortPreKey: fakeKyberPreKey(3, { identityKey, badSignature: true }) },
      { preKeys: fakePreKeys(2, 50), kyberPreKeys: [...fakeKyberPreKeys(2, 50, { identityKey }), fakeKyberPreKey(52, { identityKey, badSignature: true })] },
      // Signed by a device of another account: a valid signature, by the wrong identity.
      { signedPreKey: fakeSignedPreKey(2, { identityKey: (await registerAccount(server.url)).keys.identityKey }) },
    ];
    for (const body of refusals) {
      const answer = await upload(bob, body);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    const signedPreKey = fakeSignedPreKey(2, { identityKey });
    const malformed = [
      { signedPreKey: { ...signedPreKey, publicKey: fakeBase64(33) } },
      { signedPreKey: { ...signedPreKey, signature: fakeBase64(3) } },
      { kyberPreKeys: [{ ...fakeKyberPreKey(9, { identityKey }), publicKey: fakeBase64(96) }] },
      { preKeys: [{ keyId: 9, publicKey: fakeBase64(33) }] },
    ];
    for (const body of malformed) {
      const answer = await upload(bob, body);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: expect.stringMatching(/^(bad_request|invalid_signature)$/) } });
    }
    expect((await count(bob)).body).toEqual({ preKeys: 0, kyberPreKeys: 0 });
    const alice = await registerAccount(server.url);
    expect((await bundle(alice, bob.accountId)).devices[0]?.signedPreKey).toEqual(bob.keys.signedPreKey);
  });

  it('never hands one key to two concurrent fetches', async () => {
    const bob = await registerAccount(server.url, { keys: fakeDeviceKeys({ preKeys: floor + 12, kyberPreKeys: floor + 12 }) });
    const alice = await registerAccount(server.url);
    const bundles = await Promise.all(Array.from({ length: 12 }, () => bundle(alice, bob.accountId)));
    const preKeyIds = bundles.map((fetched) => fetched.devices[0]?.preKey?.keyId);
    const kyberIds = bundles.map((fetched) => fetched.devices[0]?.kyberPreKey.keyId);
    expect(new Set(preKeyIds).size).toBe(12);
    expect(new Set(kyberIds).size).toBe(12);
    expect(preKeyIds).not.toContain(undefined);
  });

  it('covers every device of an account, and leaves out the requester in its own account', async () => {
    const bob = await registerAccount(server.url);
    const bobSecond = await addDevice(server.url, bob);
    const alice = await registerAccount(server.url);
    expect((await bundle(alice, bob.accountId)).devices.map((device) => device.deviceId)).toEqual([1, 2]);
    expect((await bundle(bob, bob.accountId)).devices.map((device) => device.deviceId)).toEqual([2]);
    expect((await bundle(bobSecond, bob.accountId)).devices.map((device) => device.deviceId)).toEqual([1]);
    expect((await bundle(bob, `${bob.accountId}/2`)).devices.map((device) => device.registrationId)).toEqual([
      bobSecond.keys.registrationId,
    ]);
  });

  it('answers unknown accounts and devices with 404 and malformed ids with 400', async () => {
    const alice = await registerAccount(server.url);
    const get = (path: string) => request(server.url, 'GET', `/v1/keys/${path}`, { authorization: alice.authorization });
    expect((await get(crypto.randomUUID())).status).toBe(404);
    expect((await get(`${alice.accountId}/9`)).status).toBe(404);
    expect((await get('not-a-uuid')).status).toBe(400);
    expect((await get(`${alice.accountId}/0`)).status).toBe(400);
    expect((await request(server.url, 'GET', `/v1/keys/${alice.accountId}`)).status).toBe(401);
  });

  it('tells an online device whose keys run low, with its counts', async () => {
    const watermark = LIMITS.preKeyLowWatermark;
    const bob = await registerAccount(server.url, { keys: fakeDeviceKeys({ preKeys: watermark, kyberPreKeys: watermark + 5 }) });
    const alice = await registerAccount(server.url);
    const { socket, ready } = await TestSocket.ready(server.url, bob.authorization);
    expect(ready).toMatchObject({ preKeys: watermark, kyberPreKeys: watermark + 5 });

    await bundle(alice, bob.accountId);
    const low = await socket.next('prekeys_low');
    expect(low).toEqual({ type: 'prekeys_low', preKeys: watermark - 1, kyberPreKeys: watermark + 4 });
    await socket.close();
  });

  it('does not tell a device whose keys are plentiful', async () => {
    const bob = await registerAccount(server.url, { keys: fakeDeviceKeys({ preKeys: 50, kyberPreKeys: 50 }) });
    const alice = await registerAccount(server.url);
    const { socket } = await TestSocket.ready(server.url, bob.authorization);
    await bundle(alice, bob.accountId);
    socket.send({ type: 'ping', requestId: 'after-fetch' });
    await socket.next('pong');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socket.received.map((frame) => frame.type)).not.toContain('prekeys_low');
    await socket.close();
  });
});
