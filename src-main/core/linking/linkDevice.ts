import { ServerError, type ServerApi } from '../api/serverApi';
import { decodeLinkCode, LinkCodeError, type LinkCode } from './linkCode';
import type { LinkedDirectory } from '../../../src-shared/domain/linkedDirectory';
import type { PreferenceRegister } from '../../../src-shared/domain/preferences';
import type { LinkPayload } from './linkPayload';
import { sealToLinkKey } from './linkSeal';

/** This device's account, as linking needs it. */
export type LinkingAccount = { accountId: string; username: string; serverUrl: string };

/**
 * Reads a pasted link code and checks it is for this account's server (LinkCodeError
 * `other_server` otherwise): what the existing device shows before the person confirms.
 */
export function readLinkCode(text: string, account: LinkingAccount): LinkCode {
  const code = decodeLinkCode(text);
  if (new URL(code.server).origin !== new URL(account.serverUrl).origin) throw new LinkCodeError('other_server');
  return code;
}

/**
 * The existing device's side of linking (C5): asks the server for a one-time link token, seals
 * the account, its identity key pair, the archive key, the token and the contacts and chat list to the code's key, and leaves the blob at the
 * code's address. LinkCodeError `expired` or `used` when the address no longer takes it; the
 * token then simply expires unused.
 */
export async function linkNewDevice(options: {
  api: ServerApi;
  account: LinkingAccount;
  identityKeyPair: string;
  archiveKey: string;
  codeText: string;
  /** The contacts and chat list to hand over (the app's; the command line has none). */
  directory?: LinkedDirectory;
  /** The synced settings (B3, F3): the new device starts with the same block list. */
  preferences?: PreferenceRegister[];
}): Promise<LinkCode> {
  const code = readLinkCode(options.codeText, options.account);
  const { token } = await options.api.issueLinkToken();
  const payload: LinkPayload = {
    v: 1,
    accountId: options.account.accountId,
    username: options.account.username,
    identityKeyPair: options.identityKeyPair,
    archiveKey: options.archiveKey,
    linkToken: token,
    ...(options.directory && { directory: options.directory }),
    ...(options.preferences && { preferences: options.preferences }),
  };
  const sealed = sealToLinkKey(code.key, Buffer.from(JSON.stringify(payload)));
  try {
    await options.api.deliverProvisioning(code.address, sealed);
  } catch (error) {
    if (error instanceof ServerError && error.code === 'not_found') throw new LinkCodeError('expired');
    if (error instanceof ServerError && error.code === 'forbidden') throw new LinkCodeError('used');
    throw error;
  }
  return code;
}
