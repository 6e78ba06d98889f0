import type { DeviceSession } from '../../../src-shared/domain/devices';
import { passwordSchema, usernameSchema } from '../../../src-shared/domain/ids';
import { ServerApi, ServerError } from '../api/serverApi';
import type { AccountRecord } from './accountRecord';
import { becomeOnlyDevice, type RegisterOptions } from './registerAccount';

/** The server did not take this username and password (it never says which was wrong). */
export class AccountPasswordError extends Error {
  constructor() {
    super('that username and password do not match an account');
    this.name = 'AccountPasswordError';
  }
}

/** `work`, with the server's refusal of the password said as AccountPasswordError. */
async function withPassword<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServerError && error.code === 'unauthorized') throw new AccountPasswordError();
    throw error;
  }
}

/**
 * The devices an account is signed in on, to whoever knows its password: what a machine about
 * to sign in without any of the account's keys names when it explains that only they can read
 * the history (C5), and that linking from one of them keeps it.
 */
export async function devicesOfAccount(options: {
  serverUrl: string;
  username: string;
  password: string;
  allowInsecureTransport?: boolean;
}): Promise<DeviceSession[]> {
  const api = new ServerApi(options.serverUrl, undefined, { allowInsecureTransport: options.allowInsecureTransport });
  const answer = await withPassword(() => api.listDevicesWithPassword(usernameSchema.parse(options.username), passwordSchema.parse(options.password)));
  return answer.devices;
}

/**
 * Signs this profile in to an existing account by its password alone, starting the account over
 * (C5, when no device is left to link from): a new identity key (contacts see a changed safety
 * number) and a new archive key, and this profile as the account's only device. The server ends
 * every other device and deletes the archive, which nothing left could open. Nothing is committed
 * until the server has accepted it, so a refusal leaves the profile as it was.
 */
export function startFresh(options: RegisterOptions): Promise<AccountRecord> {
  // Always a new identity: keys this profile may hold were never the account's.
  return becomeOnlyDevice(options, {
    newIdentity: true,
    submit: (api, username, password, device) => withPassword(() => api.startFresh(username, password, { device })),
  });
}
