import type { DeviceListItem } from '../../../src-shared/ipc/devices';
import { openCore } from '../cliContext';

const PLATFORM_NAMES = { linux: 'Linux', macos: 'macOS', windows: 'Windows', other: 'Other' } as const;

/** A day number (whole UTC days since the epoch) as YYYY-MM-DD. */
const dateOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** One device as a line: tab-separated text, or a JSON object. Names are printed as typed (the server refuses control characters). */
export function formatDevice(device: DeviceListItem, json: boolean): string {
  if (json) {
    return JSON.stringify({
      deviceId: device.deviceId,
      name: device.name,
      platform: device.platform,
      osVersion: device.osVersion,
      appVersion: device.appVersion,
      added: dateOf(device.createdDay),
      lastActive: dateOf(device.lastSeenDay),
      thisDevice: device.thisDevice,
    });
  }
  const system = [PLATFORM_NAMES[device.platform], device.osVersion].filter(Boolean).join(' ');
  return [
    device.deviceId,
    device.name,
    system,
    device.appVersion || 'unknown version',
    `added ${dateOf(device.createdDay)}`,
    `last active ${dateOf(device.lastSeenDay)}`,
    ...(device.thisDevice ? ['this device'] : []),
  ].join('\t');
}

/** `devices`: this account's devices, one per line, this device first. */
export async function listDevicesCommand(options: { profile: string; json: boolean; insecure: boolean }) {
  const { core, stopped, close } = await openCore(options.profile, options.insecure);
  try {
    const devices = await Promise.race([core.devices.list(), stopped]);
    process.stdout.write(devices.map((device) => `${formatDevice(device, options.json)}\n`).join(''));
  } finally {
    await close();
  }
}

/** `devices terminate DEVICE_ID`: ends another device's session at once. */
export async function terminateDeviceCommand(options: { profile: string; deviceId: number; insecure: boolean }) {
  const { core, stopped, close } = await openCore(options.profile, options.insecure);
  try {
    await Promise.race([core.devices.terminate(options.deviceId), stopped]);
    process.stdout.write(`Ended the session of device ${options.deviceId}\n`);
  } finally {
    await close();
  }
}
