import { PHONE_ROUTES, phoneNumberStateSchema, syncContactsResponseSchema } from '../../../src-shared/protocol/phone';
import { PROFILE_ROUTES, profileResponseSchema, type PutAvatarRequest, type PutProfileRequest } from '../../../src-shared/protocol/profile';
import type { z } from 'zod';
import { errorBodySchema, type WireError } from '../../../src-shared/protocol/errors';
import {
  HTTP_ROUTES,
  listDevicesResponseSchema,
  lookupAccountResponseSchema,
  registerAccountResponseSchema,
  terminateOthersResponseSchema,
  type AddDeviceRequest,
  type FreshStartRequest,
  type RegisterAccountRequest,
} from '../../../src-shared/protocol/http';
import { preKeyBundleSchema, preKeyCountSchema, type UploadPreKeysRequest } from '../../../src-shared/protocol/keys';
import {
  LINKING_ROUTES,
  linkTokenResponseSchema,
  provisioningMessageSchema,
  provisioningSlotSchema,
  type LinkDeviceRequest,
} from '../../../src-shared/protocol/linking';
import {
  ARCHIVE_ROUTES,
  appendArchiveResponseSchema,
  archivePageSchema,
  archiveStateSchema,
  type ArchiveItem,
} from '../../../src-shared/protocol/archive';
import { checkServerTransport, type TransportOptions } from './serverTransport';
import { parseJsonOrUndefined } from '../util/parseJsonOrUndefined';

/** A server slower than this counts as unreachable (the caller retries later). */
const REQUEST_TIMEOUT_MS = 20_000;

/** The server answered with a typed error. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly error: WireError,
  ) {
    super(error.message);
    this.name = 'ServerError';
  }
  get code() {
    return this.error.code;
  }
}

/** The server could not be reached, or answered with something that is not the protocol. */
export class ServerUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`cannot reach the Parley server at ${url}`, { cause });
    this.name = 'ServerUnreachableError';
  }
}

export type DeviceCredentials = { accountId: string; deviceId: number; secret: string };

export const deviceAuthorization = (credentials: DeviceCredentials) =>
  `Basic ${Buffer.from(`${credentials.accountId}.${credentials.deviceId}:${credentials.secret}`).toString('base64')}`;

const passwordAuthorization = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/**
 * The server's HTTP API; every answer is validated against the shared schema before use. Built
 * only for https://, or http:// to this machine, unless `transport.allowInsecureTransport`
 * (throws InsecureTransportError otherwise); redirects are refused, so an answer never moves a
 * request (and its password or credentials) to another URL.
 */
export class ServerApi {
  constructor(
    readonly baseUrl: string,
    private readonly credentials?: DeviceCredentials,
    private readonly transport: TransportOptions = {},
  ) {
    checkServerTransport(baseUrl, transport);
  }

  withCredentials(credentials: DeviceCredentials) {
    return new ServerApi(this.baseUrl, credentials, this.transport);
  }

  private async call<T>(
    method: string,
    path: string,
    options: { body?: unknown; authorization?: string; schema?: z.ZodType<T>; timeoutMs?: number },
  ): Promise<T> {
    const url = new URL(path, this.baseUrl).toString();
    const authorization = options.authorization ?? (this.credentials ? deviceAuthorization(this.credentials) : undefined);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(authorization ? { authorization } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
      });
    } catch (cause) {
      throw new ServerUnreachableError(this.baseUrl, cause);
    }
    const text = await response.text();
    const json: unknown = text ? parseJsonOrUndefined(text) : undefined;
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(json);
      if (parsed.success) throw new ServerError(response.status, parsed.data.error);
      throw new ServerUnreachableError(this.baseUrl, new Error(`HTTP ${response.status} without a Parley error body`));
    }
    if (!options.schema) return undefined as T;
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) throw new ServerUnreachableError(this.baseUrl, new Error(`unexpected answer to ${method} ${path}`));
    return parsed.data;
  }

  registerAccount(request: RegisterAccountRequest) {
    return this.call('POST', HTTP_ROUTES.registerAccount, { body: request, schema: registerAccountResponseSchema });
  }

  addDevice(username: string, password: string, request: AddDeviceRequest) {
    return this.call('POST', HTTP_ROUTES.addDevice, {
      body: request,
      authorization: passwordAuthorization(username, password),
      schema: registerAccountResponseSchema,
    });
  }

  /** Every device of the account, to whoever knows its password (a machine about to sign in without one). */
  listDevicesWithPassword(username: string, password: string) {
    return this.call('GET', HTTP_ROUTES.devices, { authorization: passwordAuthorization(username, password), schema: listDevicesResponseSchema });
  }

  /** Starts the account over with this one device and a new identity: see HTTP_ROUTES.freshStart. */
  startFresh(username: string, password: string, request: FreshStartRequest) {
    return this.call('POST', HTTP_ROUTES.freshStart, {
      body: request,
      authorization: passwordAuthorization(username, password),
      schema: registerAccountResponseSchema,
    });
  }

  lookupAccount(username: string) {
    return this.call('GET', `${HTTP_ROUTES.lookupAccount}?username=${encodeURIComponent(username)}`, {
      schema: lookupAccountResponseSchema,
    });
  }

  /** A3: this account takes `username` (the old one is released); ServerError `username_taken`. */
  changeUsername(username: string) {
    return this.call('PUT', HTTP_ROUTES.username, { body: { username }, schema: lookupAccountResponseSchema });
  }

  accountById(accountId: string) {
    return this.call('GET', `${HTTP_ROUTES.accountById}${encodeURIComponent(accountId)}`, { schema: lookupAccountResponseSchema });
  }

  uploadPreKeys(request: UploadPreKeysRequest) {
    return this.call<void>('PUT', HTTP_ROUTES.preKeys, { body: request });
  }

  preKeyCount() {
    return this.call('GET', HTTP_ROUTES.preKeys, { schema: preKeyCountSchema });
  }

  /** Every device of this account (Active sessions, A9). */
  listDevices() {
    return this.call('GET', HTTP_ROUTES.devices, { schema: listDevicesResponseSchema });
  }

  /** Renames this device (the name is checked by the shared schema on the server). */
  renameThisDevice(name: string) {
    return this.call<void>('PUT', HTTP_ROUTES.deviceName, { body: { name } });
  }

  /** Removes every other device of this account; answers which. */
  removeOtherDevices() {
    return this.call('DELETE', HTTP_ROUTES.otherDevices, { schema: terminateOthersResponseSchema });
  }

  /** A one-time provisioning address for a new device's link code (no credentials). */
  openProvisioning() {
    return this.call('POST', LINKING_ROUTES.provisioning, { schema: provisioningSlotSchema });
  }

  /** The sealed blob at `address`, waiting up to `waitSeconds` for it; undefined when none came yet. */
  async collectProvisioning(address: string, waitSeconds: number) {
    const answer = await this.call('GET', `${LINKING_ROUTES.provisioningSlot}${address}?wait=${waitSeconds}`, {
      schema: provisioningMessageSchema.optional(),
      timeoutMs: (waitSeconds + 15) * 1000,
    });
    return answer;
  }

  /** Leaves a sealed blob at a new device's provisioning address (device credentials). */
  deliverProvisioning(address: string, body: string) {
    return this.call<void>('PUT', `${LINKING_ROUTES.provisioningSlot}${address}`, { body: { body } });
  }

  /** Replaces this account's sealed profile (A2). */
  putProfile(request: PutProfileRequest) {
    return this.call<void>('PUT', PROFILE_ROUTES.self, { body: request });
  }

  /** An account's sealed profile under `version`; ServerError `not_found` when that is not its current one. */
  profile(accountId: string, version: string) {
    return this.call('GET', `${PROFILE_ROUTES.ofAccount}${encodeURIComponent(accountId)}/${version}`, { schema: profileResponseSchema });
  }

  /** H3: my phone number as the server keeps it for me; ServerError `not_found` when I have none. */
  phoneNumber() {
    return this.call('GET', PHONE_ROUTES.self, { schema: phoneNumberStateSchema });
  }

  sendPhoneCode(number: string) {
    return this.call<void>('POST', PHONE_ROUTES.code, { body: { number } });
  }

  /** ServerError `forbidden` for a wrong or expired code. */
  verifyPhoneCode(code: string) {
    return this.call('POST', PHONE_ROUTES.verify, { body: { code }, schema: phoneNumberStateSchema });
  }

  setPhoneDiscoverable(discoverable: boolean) {
    return this.call('PUT', PHONE_ROUTES.discoverable, { body: { discoverable }, schema: phoneNumberStateSchema });
  }

  removePhoneNumber() {
    return this.call<void>('DELETE', PHONE_ROUTES.self, {});
  }

  /** B2: my synced contacts become `numbers` (E.164; kept by the server as keyed hashes); who of them can be found. */
  syncContacts(numbers: string[]) {
    return this.call('PUT', PHONE_ROUTES.syncedContacts, { body: { numbers }, schema: syncContactsResponseSchema });
  }

  deleteSyncedContacts() {
    return this.call<void>('DELETE', PHONE_ROUTES.syncedContacts, {});
  }

  /** Who can be found by `number` (E.164); ServerError `not_found` otherwise. */
  lookupPhone(number: string) {
    return this.call('POST', PHONE_ROUTES.lookup, { body: { number }, schema: lookupAccountResponseSchema });
  }

  /** Replaces this account's sealed avatar (A4). */
  putAvatar(request: PutAvatarRequest) {
    return this.call<void>('PUT', PROFILE_ROUTES.avatar, { body: request });
  }

  deleteAvatar() {
    return this.call<void>('DELETE', PROFILE_ROUTES.avatar, {});
  }

  /** An account's sealed avatar under `version`; ServerError `not_found` when that is not its current one. */
  avatar(accountId: string, version: string) {
    return this.call('GET', `${PROFILE_ROUTES.avatarOfAccount}${encodeURIComponent(accountId)}/${version}`, { schema: profileResponseSchema });
  }

  /** A one-time token that registers one more device of this account. */
  issueLinkToken() {
    return this.call('POST', LINKING_ROUTES.linkTokens, { schema: linkTokenResponseSchema });
  }

  /** Registers this new device with a link token (no other credentials). */
  registerLinkedDevice(request: LinkDeviceRequest) {
    return this.call('POST', LINKING_ROUTES.linkedDevice, { body: request, schema: registerAccountResponseSchema });
  }

  /** Removes a device of this account (another one, or this one itself): see HTTP_ROUTES.device. */
  removeDevice(deviceId: number) {
    return this.call<void>('DELETE', `${HTTP_ROUTES.device}${deviceId}`, {});
  }

  /** Appends sealed items staged in `epoch` to the account's archive; items whose id is there already are skipped. */
  appendArchive(epoch: number, items: ArchiveItem[]) {
    return this.call('POST', ARCHIVE_ROUTES.items, { body: { epoch, items }, schema: appendArchiveResponseSchema });
  }

  /** The archive's items after `after`, oldest first; with `count`, also how many remain. */
  archivePage(after: number, limit: number, count: boolean) {
    return this.call('GET', `${ARCHIVE_ROUTES.items}?after=${after}&limit=${limit}${count ? '&count=1' : ''}`, { schema: archivePageSchema });
  }

  archiveSettings() {
    return this.call('GET', ARCHIVE_ROUTES.settings, { schema: archiveStateSchema });
  }

  /** Switching it off deletes every item, for every device of the account. */
  setArchiveEnabled(enabled: boolean) {
    return this.call<void>('PUT', ARCHIVE_ROUTES.settings, { body: { enabled } });
  }

  /** Consumes one-time prekeys of the named devices (all devices when `deviceId` is omitted). */
  preKeyBundle(accountId: string, deviceId?: number) {
    const path = `${HTTP_ROUTES.preKeyBundle}${accountId}${deviceId === undefined ? '' : `/${deviceId}`}`;
    return this.call('GET', path, { schema: preKeyBundleSchema });
  }
}
