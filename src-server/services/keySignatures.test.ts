import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLinesLogger } from '../logger';
import type { Storage } from '../storage/storage';
import { testBackends } from '../testing/backends';
import { fakeBase64, fakeDeviceKeys, fakeIdentityKey, fakeKyberPreKey, fakePreKeys, fakeSignedPreKey, type BadSignature } from '../testing/fakeKeys';
import { openTestStorage } from '../testing/testStorage';
import { createAccountsService } from './accounts';
import { verifyPublishedKeys } from './keySignatures';

const BAD_PARTS: BadSignature[] = ['signedPreKey', 'kyberLastResortPreKey', 'kyberPreKeys'];

describe('verifyPublishedKeys', () => {
  const identityKey = fakeIdentityKey();

  it('accepts keys signed by the identity key', () => {
    const keys = fakeDeviceKeys({ identityKey });
    expect(() => verifyPublishedKeys(identityKey, keys)).not.toThrow();
    expect(() => verifyPublishedKeys(identityKey, {})).not.toThrow();
  });

  it.each(BAD_PARTS)('refuses a wrong signature on the %s with invalid_signature', (part) => {
    expect(() => verifyPublishedKeys(identityKey, fakeDeviceKeys({ identityKey, badSignature: part }))).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
  });

  it("refuses keys signed by another identity, or another key's signature", () => {
    const other = fakeIdentityKey();
    expect(() => verifyPublishedKeys(identityKey, { signedPreKey: fakeSignedPreKey(1, { identityKey: other }) })).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
    const one = fakeKyberPreKey(1, { identityKey });
    const two = fakeKyberPreKey(2, { identityKey });
    expect(() => verifyPublishedKeys(identityKey, { kyberPreKeys: [{ ...one, signature: two.signature }] })).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
  });

  it('answers malformed bytes with bad_request or invalid_signature, never another exception', () => {
    const signedPreKey = fakeSignedPreKey(1, { identityKey });
    const kyber = fakeKyberPreKey(1, { identityKey });
    const cases: Array<[string, Parameters<typeof verifyPublishedKeys>[1]]> = [
      [fakeBase64(33), { signedPreKey }],
      ['', { signedPreKey }],
      [identityKey, { signedPreKey: { ...signedPreKey, publicKey: fakeBase64(33) } }],
      [identityKey, { signedPreKey: { ...signedPreKey, publicKey: '' } }],
      [identityKey, { signedPreKey: { ...signedPreKey, signature: fakeBase64(3) } }],
      [identityKey, { signedPreKey: { ...signedPreKey, signature: '' } }],
      [identityKey, { kyberLastResortPreKey: { ...kyber, publicKey: fakeBase64(1569) } }],
      [identityKey, { kyberPreKeys: [{ ...kyber, signature: fakeBase64(200) }] }],
      [identityKey, { preKeys: [{ keyId: 1, publicKey: fakeBase64(33) }] }],
      [identityKey, { preKeys: [...fakePreKeys(2), { keyId: 3, publicKey: fakeBase64(2) }] }],
    ];
    for (const [identity, keys] of cases) {
      let thrown: unknown;
      try {
        verifyPublishedKeys(identity, keys);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(keys).slice(0, 80)).toMatchObject({ name: 'ServiceError', code: expect.stringMatching(/^(bad_request|invalid_signature)$/) });
    }
  });
});

describe.each(testBackends())('registration and linking check signatures on $name', (backend) => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let accounts: ReturnType<typeof createAccountsService>;
  beforeAll(async () => {
    ({ storage, dispose } = await openTestStorage(backend));
    const logger = createJsonLinesLogger({ write: () => undefined });
    accounts = createAccountsService({ storage, clock: { now: () => 0 }, logger, passwordHashing: { memoryCost: 256, timeCost: 1 } });
  });
  afterAll(() => dispose());

  let counter = 0;
  const username = () => `signed_${++counter}_${backend.name}`;

  it.each(BAD_PARTS)('refuses a first device whose %s is badly signed, creating no account', async (part) => {
    const name = username();
    const register = accounts.register({ username: name, password: 'long enough password', device: fakeDeviceKeys({ badSignature: part }) });
    await expect(register).rejects.toMatchObject({ code: 'invalid_signature' });
    expect(await storage.accounts.findByUsername(name)).toBeUndefined();
  });

  it('refuses a first device whose identity key is not a key, with bad_request', async () => {
    const device = { ...fakeDeviceKeys(), identityKey: fakeBase64(33) };
    await expect(accounts.register({ username: username(), password: 'long enough password', device })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it.each(BAD_PARTS)('refuses a linked device whose %s is badly signed, adding no device', async (part) => {
    const first = fakeDeviceKeys();
    const { accountId } = await accounts.register({ username: username(), password: 'long enough password', device: first });
    const account = (await storage.accounts.findById(accountId))!;
    const linked = accounts.addDevice(account, fakeDeviceKeys({ identityKey: first.identityKey, badSignature: part }));
    await expect(linked).rejects.toMatchObject({ code: 'invalid_signature' });
    expect(await storage.devices.listIds(accountId)).toEqual([1]);
    await expect(accounts.addDevice(account, fakeDeviceKeys({ identityKey: first.identityKey }))).resolves.toMatchObject({ deviceId: 2 });
  });
});
