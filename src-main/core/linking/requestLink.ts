import { stageLinkedPreferences } from '../preferences/syncedPreferences';
import { ZodError } from 'zod';
import type { DeviceDetails } from '../../../src-shared/domain/devices';
import type { Clock } from '../../../src-shared/domain/runtime';
import { ServerApi, ServerError, ServerUnreachableError } from '../api/serverApi';
import { readAccount, type AccountRecord } from '../account/accountRecord';
import { commitNewDevice, newDeviceKeys } from '../account/newDevice';
import { AlreadyRegisteredError } from '../account/registerAccount';
import { DecryptionFailedError } from '../crypto/aead';
import { generateIdentity } from '../signal/deviceKeys';
import { writeLocalKeys } from '../signal/localKeys';
import { writeArchiveKey } from '../archive/archiveKey';
import { stageLinkedDirectory } from './linkedDirectory';
import { markRestorePending } from '../archive/archiveRestore';
import type { Vault } from '../vault/vault';
import { encodeLinkCode } from './linkCode';
import { linkPayloadSchema } from './linkPayload';
import { newLinkKeyPair, openWithLinkKey } from './linkSeal';

/** Seconds each collect asks the server to wait; the request's own timeout is longer. */
const COLLECT_WAIT_SECONDS = 15;
/** After the server could not be reached, the next try comes this much later. */
const RETRY_MS = 2_000;

export type LinkFailureReason = 'expired' | 'refused' | 'tampered' | 'cancelled';

/** The link did not happen; the profile is as it was (nothing half-linked). */
export class LinkFailedError extends Error {
  constructor(
    readonly reason: LinkFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'LinkFailedError';
  }
}

export type LinkRequestOptions = {
  vault: Vault;
  serverUrl: string;
  /** How the new device is listed (the existing device shows it before confirming). */
  deviceName: string;
  deviceDetails: DeviceDetails;
  clock: Clock;
  allowInsecureTransport?: boolean;
};

/**
 * The new device's side of linking (C5). `code` is what the person copies (or scans) to the
 * existing device; `linked` resolves once that device has answered and this profile is
 * registered as another device of the account, with the account's identity key. Rejects with
 * LinkFailedError when the code expires unanswered (`expired`), the server refuses the token
 * (`refused`), the answer does not open with this code's key (`tampered`) or `cancel` was called;
 * the profile then holds nothing of the account.
 */
export class LinkRequest {
  private cancelled = false;
  private readonly cancelWaiters: Array<() => void> = [];

  private constructor(
    private readonly options: LinkRequestOptions,
    private readonly api: ServerApi,
    private readonly keys: ReturnType<typeof newLinkKeyPair>,
    private readonly address: string,
    readonly code: string,
    readonly expiresAt: number,
  ) {}

  static async open(options: LinkRequestOptions): Promise<LinkRequest> {
    const existing = readAccount(options.vault.transaction());
    if (existing) throw new AlreadyRegisteredError(existing.username);
    const api = new ServerApi(options.serverUrl, undefined, { allowInsecureTransport: options.allowInsecureTransport });
    const slot = await api.openProvisioning();
    const keys = newLinkKeyPair();
    const code = encodeLinkCode({
      v: 1,
      server: new URL(options.serverUrl).origin + '/',
      address: slot.address,
      key: keys.publicKey,
      name: options.deviceName,
      platform: options.deviceDetails.platform,
    });
    return new LinkRequest(options, api, keys, slot.address, code, slot.expiresAt);
  }

  cancel() {
    this.cancelled = true;
    for (const wake of this.cancelWaiters.splice(0)) wake();
  }

  /** Waits for the existing device's answer, then registers this device. */
  async linked(): Promise<AccountRecord> {
    const sealed = await this.collect();
    let payload;
    try {
      payload = linkPayloadSchema.parse(JSON.parse(openWithLinkKey(this.keys, sealed).toString('utf8')));
    } catch (error) {
      if (error instanceof DecryptionFailedError || error instanceof SyntaxError || error instanceof ZodError) {
        throw new LinkFailedError('tampered', 'the answer to this link code could not be opened: link again');
      }
      throw error;
    }
    if (this.cancelled) throw new LinkFailedError('cancelled', 'linking was cancelled');
    const { vault, clock } = this.options;
    const transaction = vault.transaction();
    const now = clock.now();
    let device;
    try {
      writeLocalKeys(transaction, { ...generateIdentity(now), identityKeyPair: payload.identityKeyPair });
      writeArchiveKey(transaction, payload.archiveKey);
      device = newDeviceKeys(transaction, this.options.deviceName, now, this.options.deviceDetails);
    } catch {
      // Well-formed, but not a key pair libsignal can use.
      throw new LinkFailedError('tampered', 'the answer to this link code could not be opened: link again');
    }
    try {
      const response = await this.register(payload.linkToken, device);
      if (response.accountId !== payload.accountId) throw new LinkFailedError('tampered', 'the server registered this device on another account');
      markRestorePending(transaction, response.registeredAt ?? now);
      if (payload.directory) stageLinkedDirectory(transaction, payload.directory);
      if (payload.preferences) stageLinkedPreferences(transaction, payload.preferences);
      return commitNewDevice(transaction, response, device, this.options.serverUrl, now);
    } catch (error) {
      // The staged keys are never committed: the profile stays as it was.
      if (error instanceof ServerError && (error.code === 'forbidden' || error.code === 'identity_mismatch' || error.code === 'too_many_devices')) {
        throw new LinkFailedError('refused', error.code === 'too_many_devices' ? 'the account has as many devices as it may' : 'the server refused this link: link again');
      }
      throw error;
    }
  }

  /**
   * Registers with the token, asking again while the server cannot be reached and the code
   * lives: the server answers a repeat of the same registration (same token, same device
   * secret) the same way, so a lost answer never leaves an extra device behind.
   */
  private async register(linkToken: string, device: ReturnType<typeof newDeviceKeys>) {
    for (;;) {
      try {
        return await this.api.registerLinkedDevice({ linkToken, device });
      } catch (error) {
        if (!(error instanceof ServerUnreachableError) || this.options.clock.now() >= this.expiresAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async collect(): Promise<string> {
    for (;;) {
      if (this.cancelled) throw new LinkFailedError('cancelled', 'linking was cancelled');
      let message;
      try {
        message = await Promise.race([this.api.collectProvisioning(this.address, COLLECT_WAIT_SECONDS), this.whenCancelled()]);
      } catch (error) {
        if (error instanceof ServerError && error.code === 'not_found') {
          throw new LinkFailedError('expired', 'this link code expired before it was used: make a new one');
        }
        // The network came and went: keep waiting while the code lives.
        if (error instanceof ServerUnreachableError && this.options.clock.now() < this.expiresAt) {
          await Promise.race([new Promise((resolve) => setTimeout(resolve, RETRY_MS)), this.whenCancelled()]);
          continue;
        }
        throw error;
      }
      if (message) return message.body;
    }
  }

  private whenCancelled(): Promise<undefined> {
    return new Promise((resolve) => this.cancelWaiters.push(() => resolve(undefined)));
  }
}
