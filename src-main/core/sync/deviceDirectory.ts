import type { DeviceRef } from '../../../src-shared/protocol/errors';
import type { PreKeyBundle } from '../../../src-shared/protocol/keys';
import type { ServerApi } from '../api/serverApi';
import { identityPublicKey } from '../signal/deviceKeys';
import { readLocalKeys } from '../signal/localKeys';
import { BundleVerificationError, protocolAddress, startSessions } from '../signal/messageCipher';
import type { ProtocolStores } from '../signal/protocolStores';
import type { VaultTransaction } from '../vault/vaultTransaction';
import type { LocalDevice } from './localDevice';

/** A message that can never be delivered (the account has no devices, or its keys are not its own). */
export class UndeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}

/**
 * A recipient's keys are not signed by its identity key (forged, or corrupted on the way): no
 * session is started with them and the message fails, rather than waiting for keys that verify.
 */
export class KeysFailedVerificationError extends UndeliverableError {
  constructor() {
    super("the recipient's keys failed verification");
    this.name = 'KeysFailedVerificationError';
  }
}

/** The server answered a key request with keys for something else: never trusted, retried later. */
export class UntrustedBundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UntrustedBundleError';
  }
}

const knownDevices = (transaction: Pick<VaultTransaction, 'getJson'>, accountId: string) =>
  transaction.getJson<number[]>('devices', accountId) ?? [];

const rememberDevices = (transaction: VaultTransaction, accountId: string, devices: number[]) =>
  transaction.putJson('devices', accountId, [...new Set(devices)].sort((a, b) => a - b));

/**
 * A device that sent me a message exists, and I now have a session with it: remembered, so my
 * next message (or typing indicator) goes over that session instead of spending one of its
 * one-time prekeys on a new one. Devices I have not heard from are added by the server's
 * `mismatched_devices` answer, as ever.
 */
export function rememberSendingDevice(transaction: VaultTransaction, accountId: string, deviceId: number) {
  const known = knownDevices(transaction, accountId);
  if (!known.includes(deviceId)) rememberDevices(transaction, accountId, [...known, deviceId]);
}

/**
 * Which devices each account has, as far as this device knows, and sessions with each. The
 * server is the judge of which devices exist: a send that misses or invents one is refused with
 * the difference, which `applyMismatch` folds in. It is not the judge of keys: a bundle must be
 * for the account and device asked for, and a device of my own account must hold my identity key
 * (every device of an account shares it), so a server cannot slip itself in as my device.
 */
export class DeviceDirectory {
  constructor(
    private readonly transaction: VaultTransaction,
    private readonly stores: ProtocolStores,
    private readonly api: ServerApi,
    private readonly local: LocalDevice,
    private readonly now: () => Date,
  ) {}

  known(accountId: string): number[] {
    return knownDevices(this.transaction, accountId);
  }

  private remember(accountId: string, devices: number[]) {
    rememberDevices(this.transaction, accountId, devices);
  }

  /** The devices a message to `accountId` must reach, with a session ready for each. */
  async recipientDevices(accountId: string): Promise<Array<{ accountId: string; deviceId: number }>> {
    let devices = this.knownRecipients(accountId);
    if (accountId !== this.local.accountId && devices.length === 0) {
      const bundle = await this.fetchBundle(accountId);
      if (bundle.devices.length === 0) throw new UndeliverableError('this account has no devices');
      await this.startSessions(bundle);
      devices = bundle.devices.map((device) => device.deviceId);
      this.remember(accountId, devices);
      return devices.map((deviceId) => ({ accountId, deviceId }));
    }
    for (const deviceId of devices) await this.ensureSession(accountId, deviceId);
    return devices.map((deviceId) => ({ accountId, deviceId }));
  }

  /**
   * recipientDevices() as far as this device can answer without the network: the devices, when
   * every one of them is known and has a current session; undefined when keys would be fetched.
   */
  async devicesAtHand(accountId: string): Promise<Array<{ accountId: string; deviceId: number }> | undefined> {
    const devices = this.knownRecipients(accountId);
    if (accountId !== this.local.accountId && devices.length === 0) return undefined;
    for (const deviceId of devices) if (!(await this.hasCurrentSession(accountId, deviceId))) return undefined;
    return devices.map((deviceId) => ({ accountId, deviceId }));
  }

  /** The known devices of an account, this device left out (it never sends to itself). */
  private knownRecipients(accountId: string): number[] {
    const isSelf = accountId === this.local.accountId;
    return this.known(accountId).filter((id) => !(isSelf && id === this.local.deviceId));
  }

  private async hasCurrentSession(accountId: string, deviceId: number): Promise<boolean> {
    const session = await this.stores.session.getSession(protocolAddress(accountId, deviceId));
    return session?.hasCurrentState(this.now()) ?? false;
  }

  private async ensureSession(accountId: string, deviceId: number) {
    if (await this.hasCurrentSession(accountId, deviceId)) return;
    const bundle = await this.fetchBundle(accountId, deviceId);
    await this.startSessions(bundle);
  }

  private async startSessions(bundle: PreKeyBundle) {
    try {
      await startSessions(this.stores, this.local.address, bundle, this.now());
    } catch (error) {
      if (error instanceof BundleVerificationError) throw new KeysFailedVerificationError();
      throw error;
    }
  }

  private async fetchBundle(accountId: string, deviceId?: number): Promise<PreKeyBundle> {
    const bundle = await this.api.preKeyBundle(accountId, deviceId);
    if (bundle.accountId !== accountId) throw new UntrustedBundleError('keys for another account');
    const ids = bundle.devices.map((device) => device.deviceId);
    if (deviceId !== undefined && (ids.length !== 1 || ids[0] !== deviceId)) throw new UntrustedBundleError('keys for another device');
    if (new Set(ids).size !== ids.length) throw new UntrustedBundleError('a device listed twice');
    if (accountId === this.local.accountId) {
      if (ids.includes(this.local.deviceId)) throw new UntrustedBundleError('my own device offered as a peer');
      if (bundle.identityKey !== identityPublicKey(readLocalKeys(this.transaction))) {
        throw new UntrustedBundleError('a device of my account with another identity key');
      }
    }
    return bundle;
  }

  /** Folds in the server's word on which devices exist. */
  applyMismatch(missing: DeviceRef[], extra: DeviceRef[]) {
    for (const { accountId, deviceId } of missing) {
      if (accountId === this.local.accountId && deviceId === this.local.deviceId) continue;
      this.remember(accountId, [...this.known(accountId), deviceId]);
    }
    for (const { accountId, deviceId } of extra) {
      this.remember(
        accountId,
        this.known(accountId).filter((id) => id !== deviceId),
      );
      this.transaction.delete('session', `${accountId}.${deviceId}`);
    }
  }

  /** A device re-registered: its old session is useless; the next send fetches fresh keys. */
  applyStale(stale: DeviceRef[]) {
    for (const { accountId, deviceId } of stale) this.transaction.delete('session', `${accountId}.${deviceId}`);
  }
}
