import { randomBytes, randomInt } from 'node:crypto';
import { KEMKeyPair, PrivateKey } from '@signalapp/libsignal-client';
import type { RegisterAccountRequest, RegisterAccountResponse } from '../../src-shared/protocol/http';
import { HTTP_ROUTES } from '../../src-shared/protocol/http';
import type { DeviceKeys } from '../../src-shared/protocol/keys';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * One account with one device, with real keys: an identity key pair of its own, a signed prekey
 * signed by it, and a Kyber last-resort key signed by it. Kyber key generation is the slow part,
 * so every identity signs the public half of one shared Kyber key pair (the server only checks
 * signatures, it never uses the key). No one-time prekeys: nothing in this bench fetches bundles.
 */
export type BenchAccount = { index: number; username: string; password: string; keys: DeviceKeys };

/** A registered device: what the load needs to authenticate and to address it. */
export type RegisteredDevice = BenchAccount & { accountId: string; deviceId: number; authorization: string };

export function makeAccounts(count: number): BenchAccount[] {
  const kyberPublic = KEMKeyPair.generate().getPublicKey().serialize();
  const run = randomBytes(3).toString('hex');
  return Array.from({ length: count }, (_, index) => {
    const identity = PrivateKey.generate();
    const signedPreKey = PrivateKey.generate().getPublicKey().serialize();
    return {
      index,
      username: `bench_${run}_${index}`,
      password: 'bench password',
      keys: {
        name: `bench device ${index}`,
        registrationId: randomInt(1, 16_381),
        secret: randomBytes(32).toString('base64'),
        identityKey: base64(identity.getPublicKey().serialize()),
        signedPreKey: { keyId: 1, publicKey: base64(signedPreKey), signature: base64(identity.sign(signedPreKey)) },
        kyberLastResortPreKey: { keyId: 1, publicKey: base64(kyberPublic), signature: base64(identity.sign(kyberPublic)) },
        preKeys: [],
        kyberPreKeys: [],
      },
    };
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function registerOne(baseUrl: string, account: BenchAccount, deadline: number, stats: RegistrationStats): Promise<RegisteredDevice> {
  const body: RegisterAccountRequest = { username: account.username, password: account.password, device: account.keys };
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${baseUrl}${HTTP_ROUTES.registerAccount}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 201) {
      const registered = JSON.parse(text) as RegisterAccountResponse;
      return {
        ...account,
        accountId: registered.accountId,
        deviceId: registered.deviceId,
        authorization: basic(`${registered.accountId}.${registered.deviceId}`, account.keys.secret),
      };
    }
    // A limit the bench's overrides did not cover: back off briefly, never past the deadline.
    if ((response.status === 429 || response.status === 503) && Date.now() < deadline && attempt < 50) {
      stats.backedOff++;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
      continue;
    }
    throw new Error(`registering ${account.username} failed: ${response.status} ${text}`);
  }
}

/** Registrations refused by a limit and retried after a back-off. */
export type RegistrationStats = { backedOff: number };

/** Registers every account over HTTP, `concurrency` at a time; bounded by `timeoutMs`. */
export async function registerAll(
  baseUrl: string,
  accounts: BenchAccount[],
  options: { concurrency?: number; timeoutMs?: number } = {},
): Promise<{ devices: RegisteredDevice[]; stats: RegistrationStats }> {
  const { concurrency = 16, timeoutMs = 300_000 } = options;
  const deadline = Date.now() + timeoutMs;
  const stats: RegistrationStats = { backedOff: 0 };
  const registered: RegisteredDevice[] = new Array<RegisteredDevice>(accounts.length);
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      if (Date.now() > deadline) throw new Error(`registration took longer than ${timeoutMs} ms`);
      const position = next++;
      registered[position] = await registerOne(baseUrl, accounts[position]!, deadline, stats);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
  return { devices: registered, stats };
}
