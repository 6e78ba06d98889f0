import type { DeviceDetails } from '../../../src-shared/domain/devices';
import type { Clock } from '../../../src-shared/domain/runtime';
import { usernameSchema } from '../../../src-shared/domain/ids';
import { ServerApi } from '../api/serverApi';
import { generateIdentity } from '../signal/deviceKeys';
import { readLocalKeys, writeLocalKeys } from '../signal/localKeys';
import type { Vault } from '../vault/vault';
import { readAccount, type AccountRecord } from './accountRecord';
import { commitNewDevice, newDeviceKeys } from './newDevice';
import { AlreadyRegisteredError } from './registerAccount';

export type AddDeviceOptions = {
  vault: Vault;
  serverUrl: string;
  username: string;
  password: string;
  /** The account's identity key pair (serialized, base64), handed over by an existing device. */
  identityKeyPair: string;
  deviceName: string;
  /** Platform, OS and app version for Active sessions (thisDeviceDetails); without them the device lists as `other`. */
  deviceDetails?: DeviceDetails;
  clock: Clock;
  /** Allow http:// to a server on another machine (`--insecure`); see TransportOptions. */
  allowInsecureTransport?: boolean;
};

/**
 * Makes this profile another device of an existing account. Every device of an account shares
 * its identity key, so the key pair must come from a device that has it (device linking, C5,
 * carries it end-to-end encrypted); the server checks it matches the account's.
 */
export async function addDevice(options: AddDeviceOptions): Promise<AccountRecord> {
  const { vault, clock } = options;
  const existing = readAccount(vault.transaction());
  if (existing) throw new AlreadyRegisteredError(existing.username);
  // Before any key is made: an http:// server on another machine is refused (InsecureTransportError).
  const api = new ServerApi(options.serverUrl, undefined, { allowInsecureTransport: options.allowInsecureTransport });
  const transaction = vault.transaction();
  const now = clock.now();
  writeLocalKeys(transaction, { ...generateIdentity(now), identityKeyPair: options.identityKeyPair });
  const device = newDeviceKeys(transaction, options.deviceName, now, options.deviceDetails);
  const response = await api.addDevice(usernameSchema.parse(options.username), options.password, { device });
  return commitNewDevice(transaction, response, device, options.serverUrl, now);
}

/** The identity key pair to hand to a new device of the same account. */
export const exportIdentityKeyPair = (vault: Vault) => readLocalKeys(vault.transaction()).identityKeyPair;
