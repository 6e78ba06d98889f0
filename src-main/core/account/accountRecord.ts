import { randomBytes } from 'node:crypto';
import type { VaultTransaction } from '../vault/vaultTransaction';
import type { DeviceCredentials } from '../api/serverApi';

/** Who this profile is on which server. Kept in the vault, never beside it. */
export type AccountRecord = {
  serverUrl: string;
  accountId: string;
  deviceId: number;
  username: string;
  /** The device's own credential; the server holds only its hash. */
  deviceSecret: string;
  registeredAt: number;
};

/** Where the AccountRecord lives in the vault's 'meta' collection. */
export const ACCOUNT_META_KEY = 'account';

export const readAccount = (transaction: Pick<VaultTransaction, 'getJson'>) =>
  transaction.getJson<AccountRecord>('meta', ACCOUNT_META_KEY);

export const writeAccount = (transaction: VaultTransaction, account: AccountRecord) =>
  transaction.putJson('meta', ACCOUNT_META_KEY, account);

export const newDeviceSecret = () => randomBytes(32).toString('base64');

export const credentialsOf = (account: AccountRecord): DeviceCredentials => ({
  accountId: account.accountId,
  deviceId: account.deviceId,
  secret: account.deviceSecret,
});
