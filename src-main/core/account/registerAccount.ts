import type { DeviceDetails } from '../../../src-shared/domain/devices';
import type { Clock } from '../../../src-shared/domain/runtime';
import type { RegisterAccountResponse } from '../../../src-shared/protocol/http';
import type { DeviceKeys } from '../../../src-shared/protocol/keys';
import { usernameSchema, passwordSchema } from '../../../src-shared/domain/ids';
import { ServerApi } from '../api/serverApi';
import { generateIdentity } from '../signal/deviceKeys';
import { hasLocalKeys, writeLocalKeys } from '../signal/localKeys';
import { newArchiveKey, writeArchiveKey } from '../archive/archiveKey';
import type { Vault } from '../vault/vault';
import { readAccount, type AccountRecord } from './accountRecord';
import { commitNewDevice, newDeviceKeys } from './newDevice';

export class AlreadyRegisteredError extends Error {
  constructor(username: string) {
    super(`this profile is already registered as @${username}`);
    this.name = 'AlreadyRegisteredError';
  }
}

export type RegisterOptions = {
  vault: Vault;
  serverUrl: string;
  username: string;
  password: string;
  deviceName: string;
  /** Platform, OS and app version for Active sessions (thisDeviceDetails); without them the device lists as `other`. */
  deviceDetails?: DeviceDetails;
  clock: Clock;
  /** Allow http:// to a server on another machine (`--insecure`); see TransportOptions. */
  allowInsecureTransport?: boolean;
};

/**
 * Creates the account (A1: a username and a password, nothing else) with this profile as its
 * first device. The keys and the account record are committed only once the server has
 * accepted them, so a refused registration leaves the profile as it was.
 */
export function registerAccount(options: RegisterOptions): Promise<AccountRecord> {
  return becomeOnlyDevice(options, { newIdentity: false, submit: (api, username, password, device) => api.registerAccount({ username, password, device }) });
}

/**
 * The steps registering and a fresh start share: this profile becomes the account's only device,
 * with a new archive key and (`newIdentity`, or when the profile has none) a new identity. What
 * `submit` sends the server is the difference; nothing is committed until it has accepted.
 */
export async function becomeOnlyDevice(
  options: RegisterOptions,
  how: { newIdentity: boolean; submit(api: ServerApi, username: string, password: string, device: DeviceKeys): Promise<RegisterAccountResponse> },
): Promise<AccountRecord> {
  const { vault, clock } = options;
  const existing = readAccount(vault.transaction());
  if (existing) throw new AlreadyRegisteredError(existing.username);
  const username = usernameSchema.parse(options.username);
  const password = passwordSchema.parse(options.password);
  // Before any key is made: an http:// server on another machine is refused (InsecureTransportError).
  const api = new ServerApi(options.serverUrl, undefined, { allowInsecureTransport: options.allowInsecureTransport });

  const transaction = vault.transaction();
  const now = clock.now();
  if (how.newIdentity || !hasLocalKeys(transaction)) writeLocalKeys(transaction, generateIdentity(now));
  writeArchiveKey(transaction, newArchiveKey());
  const device = newDeviceKeys(transaction, options.deviceName, now, options.deviceDetails);
  const response = await how.submit(api, username, password, device);
  return commitNewDevice(transaction, response, device, options.serverUrl, now);
}
