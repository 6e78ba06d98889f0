import { z } from 'zod';
import { accountIdSchema, deviceIdSchema, passwordSchema, usernameSchema } from '../domain/ids';
import { deviceNameSchema, deviceSessionSchema } from '../domain/devices';
import { LIMITS } from '../domain/limits';
import { deviceKeysSchema } from './keys';

/**
 * The HTTP API. Every route is under `/v1`. Authenticated routes take
 * `Authorization: Basic base64("<accountId>.<deviceId>:<device secret>")`; adding a device takes
 * `Basic base64("<username>:<password>")` instead. Non-2xx answers carry an `ErrorBody`.
 */
export const HTTP_ROUTES = {
  /** POST, no auth: RegisterAccountRequest → RegisterAccountResponse (201). */
  registerAccount: '/v1/accounts',
  /** POST, password auth: AddDeviceRequest → RegisterAccountResponse (201). */
  addDevice: '/v1/devices',
  /**
   * DELETE `/v1/devices/<deviceId>` (DevicePath), no body → 204. Removes a device of the caller's
   * own account at once: its credentials stop working, its prekeys and queued envelopes are
   * deleted, and its open socket closes with 4004. Auth: the credentials of any device of the
   * account (another device, or the device itself), or `Basic base64("<username>:<password>")`.
   * `forbidden` for the account's last device; `not_found` for a device the account does not have.
   * Senders learn of the removal from their next send (`mismatched_devices` naming it in `extra`).
   */
  device: '/v1/devices/',
  /**
   * GET → ListDevicesResponse, every device of the account (Active sessions, A9). Auth: device
   * credentials, or the password (a new machine signing in sees where the account still is).
   */
  devices: '/v1/devices',
  /** PUT, device auth: RenameDeviceRequest → 204. Renames the calling device (only a device renames itself). */
  deviceName: '/v1/devices/self/name',
  /**
   * DELETE, device auth, no body → TerminateOthersResponse (200). Removes every other device of
   * the caller's account in one transaction, each as `device` DELETE does ("Terminate all other
   * sessions", A9).
   */
  otherDevices: '/v1/devices/others',
  /**
   * POST, password auth: FreshStartRequest → RegisterAccountResponse (201). The account starts
   * over on a machine that holds none of its keys (C5: no device left to link from): in one
   * transaction every device is removed (each as `device` DELETE does), the archive and any
   * unused link tokens are deleted and a new archive epoch begins, the account takes the new
   * identity key, and the device in the body becomes its only device. Contacts see a changed
   * safety number.
   */
  freshStart: '/v1/accounts/fresh-start',
  /** GET, device auth: `?username=` → LookupAccountResponse. */
  lookupAccount: '/v1/accounts/lookup',
  /**
   * PUT, device auth: ChangeUsernameRequest → LookupAccountResponse (A3). The account takes the
   * new @username and releases the old one at once (anyone may take it next); `username_taken`
   * when another account has it.
   */
  username: '/v1/accounts/username',
  /** GET, device auth: `/v1/accounts/<accountId>` → LookupAccountResponse (who sent me this?). */
  accountById: '/v1/accounts/',
  /** PUT, device auth: UploadPreKeysRequest → 204. GET: PreKeyCount. */
  preKeys: '/v1/keys',
  /** GET, device auth: `/v1/keys/<accountId>` (all devices) or `/v1/keys/<accountId>/<deviceId>` → PreKeyBundle. */
  preKeyBundle: '/v1/keys/',
  /** GET upgrade, device auth: the device's WebSocket (frames in ./frames.ts). */
  websocket: '/v1/websocket',
  /** GET, no auth: liveness, `{ ok: true, protocolVersion }`. */
  health: '/v1/health',
} as const;

export const registerAccountRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  device: deviceKeysSchema,
});
export type RegisterAccountRequest = z.input<typeof registerAccountRequestSchema>;

/** A new device on an existing account; its identity key must be the account's. */
export const addDeviceRequestSchema = z.object({ device: deviceKeysSchema });
export type AddDeviceRequest = z.infer<typeof addDeviceRequestSchema>;

/** A fresh start's only device; it brings a new identity key, which its prekeys must be signed by. */
export const freshStartRequestSchema = z.object({ device: deviceKeysSchema });
export type FreshStartRequest = z.infer<typeof freshStartRequestSchema>;

/** The path parameter of `HTTP_ROUTES.device`: a device id as one to three digits. */
export const devicePathSchema = z.object({
  deviceId: z
    .string()
    .regex(/^\d{1,3}$/, 'not a device id')
    .transform(Number)
    .pipe(deviceIdSchema),
});
export type DevicePath = z.input<typeof devicePathSchema>;

export const listDevicesResponseSchema = z.object({ devices: z.array(deviceSessionSchema).max(LIMITS.devicesPerAccount) });
export type ListDevicesResponse = z.infer<typeof listDevicesResponseSchema>;

export const renameDeviceRequestSchema = z.object({ name: deviceNameSchema }).strict();
export type RenameDeviceRequest = z.input<typeof renameDeviceRequestSchema>;

export const terminateOthersResponseSchema = z.object({ terminated: z.array(deviceIdSchema).max(LIMITS.devicesPerAccount) });
export type TerminateOthersResponse = z.infer<typeof terminateOthersResponseSchema>;

export const registerAccountResponseSchema = z.object({
  accountId: accountIdSchema,
  deviceId: deviceIdSchema,
  username: z.string(),
  /**
   * A linked device (POST /v1/devices/linked) or a fresh start: the server's time once the device existed. Every
   * message the server stores from then on is queued for it; what the archive holds from before
   * is what it restores (C5).
   */
  registeredAt: z.number().int().nonnegative().optional(),
  /**
   * A linked device or a fresh start: whether the account keeps an archive, and its epoch, as the
   * device begins; what it stages before it first asks the archive settings is staged rightly.
   */
  archive: z.object({ enabled: z.boolean(), epoch: z.number().int().nonnegative() }).strict().optional(),
});
export type RegisterAccountResponse = z.infer<typeof registerAccountResponseSchema>;

export const changeUsernameRequestSchema = z.object({ username: usernameSchema }).strict();
export type ChangeUsernameRequest = z.infer<typeof changeUsernameRequestSchema>;

export const lookupAccountResponseSchema = z.object({
  accountId: accountIdSchema,
  username: z.string(),
});
export type LookupAccountResponse = z.infer<typeof lookupAccountResponseSchema>;
