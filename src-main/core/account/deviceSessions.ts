import type { DevicePlatform, DeviceSession } from '../../../src-shared/domain/devices';
import { deviceNameSchema } from '../../../src-shared/domain/devices';
import type { LinkedDirectory } from '../../../src-shared/domain/linkedDirectory';
import type { PreferenceRegister } from '../../../src-shared/domain/preferences';
import { ServerError, type ServerApi } from '../api/serverApi';
import { linkNewDevice, readLinkCode, type LinkingAccount } from '../linking/linkDevice';
import type { Emitter } from '../util/emitter';

export class ThisDeviceError extends Error {
  constructor() {
    super('that is this device: terminate other devices only');
    this.name = 'ThisDeviceError';
  }
}

/**
 * Active sessions (A9): this account's devices as the server lists them, renaming this one, and
 * ending the others. A server answer of `session_ended` means this device was itself ended
 * meanwhile: it is passed to `sessionEnded` (the core then wipes this device) and rethrown.
 */
export class DeviceSessions {
  constructor(
    private readonly options: {
      api: ServerApi;
      thisDeviceId: number;
      account: LinkingAccount;
      /** The account's identity key pair, read from the vault only when a device is linked. */
      identityKeyPair: () => string;
      /** The account archive key, handed to a linked device with the identity. */
      archiveKey: () => string;
      /** The synced settings' registers, handed to a linked device so it starts with the same ones. */
      preferences: () => PreferenceRegister[];
      sessionEnded: Emitter<void>;
    },
  ) {}

  /** What a pasted link code says of the new device (name, platform), after checking it is for this server. */
  inspectLinkCode(text: string): { name: string; platform: DevicePlatform } {
    const { name, platform } = readLinkCode(text, this.options.account);
    return { name, platform };
  }

  /**
   * Links the new device waiting behind the code (C5), handing it `directory` (the contacts and
   * chat list) with the keys; it registers itself once it has the answer.
   */
  async link(text: string, directory?: LinkedDirectory): Promise<{ name: string; platform: DevicePlatform }> {
    const { account, api, identityKeyPair, archiveKey, preferences } = this.options;
    const code = await this.watch(
      linkNewDevice({
        api,
        account,
        identityKeyPair: identityKeyPair(),
        archiveKey: archiveKey(),
        codeText: text,
        preferences: preferences(),
        ...(directory && { directory }),
      }),
    );
    return { name: code.name, platform: code.platform };
  }

  /** Every device of the account, this device first, then by device id. */
  async list(): Promise<Array<DeviceSession & { thisDevice: boolean }>> {
    const { devices } = await this.watch(this.options.api.listDevices());
    const thisDeviceId = this.options.thisDeviceId;
    return devices
      .map((device) => ({ ...device, thisDevice: device.deviceId === thisDeviceId }))
      .sort((a, b) => Number(b.thisDevice) - Number(a.thisDevice) || a.deviceId - b.deviceId);
  }

  /** Renames this device; the name is checked here first (the same schema the server applies). */
  async renameThisDevice(name: string): Promise<void> {
    await this.watch(this.options.api.renameThisDevice(deviceNameSchema.parse(name)));
  }

  /** Ends another device's session at once (the server cuts it off and it wipes itself). */
  async terminate(deviceId: number): Promise<void> {
    if (deviceId === this.options.thisDeviceId) throw new ThisDeviceError();
    await this.watch(this.options.api.removeDevice(deviceId));
  }

  /** Ends every other device's session; answers which device ids were ended. */
  async terminateOthers(): Promise<number[]> {
    return (await this.watch(this.options.api.removeOtherDevices())).terminated;
  }

  private async watch<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof ServerError && error.code === 'session_ended') this.options.sessionEnded.emit();
      throw error;
    }
  }
}
