import { randomBytes } from 'node:crypto';
import type { RegisterAccountResponse } from '../../src-shared/protocol/http';
import type { DeviceKeys } from '../../src-shared/protocol/keys';
import { fakeDeviceKeys } from './fakeKeys';

export type HttpAnswer = { status: number; body: unknown; text: string; headers: Headers };

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A registered device: what a client keeps to authenticate. */
export type TestDevice = RegisterAccountResponse & { secret: string; password: string; keys: DeviceKeys; authorization: string };

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string | Buffer; authorization?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  let body: string | Buffer | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

export const uniqueUsername = (prefix = 'user') => `${prefix}_${randomBytes(5).toString('hex')}`;

function asDevice(answer: HttpAnswer, keys: DeviceKeys, password: string): TestDevice {
  if (answer.status !== 201) throw new Error(`registration failed: ${answer.status} ${answer.text}`);
  const registered = answer.body as RegisterAccountResponse;
  return {
    ...registered,
    secret: keys.secret,
    password,
    keys,
    authorization: basic(`${registered.accountId}.${registered.deviceId}`, keys.secret),
  };
}

export async function registerAccount(
  baseUrl: string,
  options: { username?: string; password?: string; keys?: DeviceKeys } = {},
): Promise<TestDevice> {
  const password = options.password ?? 'correct horse battery';
  const keys = options.keys ?? fakeDeviceKeys();
  const answer = await request(baseUrl, 'POST', '/v1/accounts', {
    body: { username: options.username ?? uniqueUsername(), password, device: keys },
  });
  return asDevice(answer, keys, password);
}

/** Links another device to `first`'s account with the account's password. */
export async function addDevice(baseUrl: string, first: TestDevice, keys = fakeDeviceKeys({ identityKey: first.keys.identityKey })) {
  const answer = await request(baseUrl, 'POST', '/v1/devices', {
    body: { device: keys },
    authorization: basic(first.username, first.password),
  });
  return asDevice(answer, keys, first.password);
}
