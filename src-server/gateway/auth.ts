import { accountIdSchema, deviceIdSchema, usernameSchema } from '../../src-shared/domain/ids';
import type { AccountRecord } from '../storage/accountsRepository';
import type { AccountsService } from '../services/accounts';
import type { AuthenticatedDevice, DeviceAuth } from '../services/deviceAuth';
import { ServiceError } from '../services/serviceError';

/** Splits `Basic base64(user:password)`; undefined when the header is not that shape. */
export function parseBasicAuthorization(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]{1,2048})$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `<accountId>.<deviceId>:<secret>` → the parts, or undefined. */
export function parseDeviceCredentials(header: string | undefined) {
  const basic = parseBasicAuthorization(header);
  if (!basic) return undefined;
  const dot = basic.user.lastIndexOf('.');
  const accountId = accountIdSchema.safeParse(basic.user.slice(0, dot));
  const deviceText = basic.user.slice(dot + 1);
  const deviceId = deviceIdSchema.safeParse(/^\d{1,3}$/.test(deviceText) ? Number(deviceText) : NaN);
  if (dot <= 0 || !accountId.success || !deviceId.success || basic.password === '') return undefined;
  return { accountId: accountId.data, deviceId: deviceId.data, secret: basic.password };
}

export type Authenticator = {
  /** Device credentials → the device, or `unauthorized`. */
  device(header: string | undefined): Promise<AuthenticatedDevice>;
  /** Username and password → the account, or `unauthorized`; `source` keys the back-off (in memory only). */
  password(header: string | undefined, source?: string): Promise<AccountRecord>;
  /** Whether the header is shaped as device credentials (`<accountId>.<deviceId>:<secret>`), checked or not. */
  isDeviceCredentials(header: string | undefined): boolean;
};

export function createAuthenticator(deviceAuth: DeviceAuth, accounts: AccountsService): Authenticator {
  return {
    async device(header) {
      const credentials = parseDeviceCredentials(header);
      if (!credentials) throw new ServiceError('unauthorized', 'device credentials required');
      return deviceAuth.authenticate(credentials);
    },
    async password(header, source) {
      const basic = parseBasicAuthorization(header);
      const username = usernameSchema.safeParse(basic?.user ?? '');
      if (!basic || !username.success) throw new ServiceError('unauthorized', 'username and password required');
      return accounts.verifyPassword(username.data, basic.password, source);
    },
    isDeviceCredentials: (header) => parseDeviceCredentials(header) !== undefined,
  };
}
