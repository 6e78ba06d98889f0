import type { ProtocolStores } from '../signal/protocolStores';
import { protocolAddress, startSessions } from '../signal/messageCipher';
import type { ServerApi } from '../api/serverApi';
import type { VaultTransaction } from '../vault/vaultTransaction';
import type { DeviceRef } from '../../../src-shared/protocol/errors';
import type { LocalDevice } from './localDevice';

/**
 * Which devices each account has, as far as this device knows, and sessions with each. The
 * server is the judge: a send that misses or invents a device is refused with the difference,
 * which `applyMismatch` folds in before the send is prepared again.
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
    return this.transaction.getJson<number[]>('devices', accountId) ?? [];
  }

  private remember(accountId: string, devices: number[]) {
    this.transaction.putJson('devices', accountId, [...new Set(devices)].sort((a, b) => a - b));
  }

  /** The devices a message to `accountId` must reach, with a session ready for each. */
  async recipientDevices(accountId: string): Promise<Array<{ accountId: string; deviceId: number }>> {
    const isSelf = accountId === this.local.accountId;
    let devices = this.known(accountId).filter((id) => !(isSelf && id === this.local.deviceId));
    if (!isSelf && devices.length === 0) {
      const bundle = await this.api.preKeyBundle(accountId);
      await startSessions(this.stores, this.local.address, bundle, this.now());
      devices = bundle.devices.map((device) => device.deviceId);
      this.remember(accountId, devices);
      return devices.map((deviceId) => ({ accountId, deviceId }));
    }
    for (const deviceId of devices) await this.ensureSession(accountId, deviceId);
    return devices.map((deviceId) => ({ accountId, deviceId }));
  }

  private async ensureSession(accountId: string, deviceId: number) {
    const session = await this.stores.session.getSession(protocolAddress(accountId, deviceId));
    if (session?.hasCurrentState(this.now())) return;
    const bundle = await this.api.preKeyBundle(accountId, deviceId);
    await startSessions(this.stores, this.local.address, bundle, this.now());
  }

  /** Folds in the server's word on which devices exist. */
  applyMismatch(missing: DeviceRef[], extra: DeviceRef[]) {
    for (const { accountId, deviceId } of missing) this.remember(accountId, [...this.known(accountId), deviceId]);
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
