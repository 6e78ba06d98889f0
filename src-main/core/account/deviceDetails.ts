import { platform, release } from 'node:os';
import { APP_VERSION } from '../../../src-shared/domain/appVersion';
import { deviceDetailsSchema, type DeviceDetails, type DevicePlatform } from '../../../src-shared/domain/devices';

/** Which shell runs the core, as Active sessions names it ("desktop 0.1.0", "cli 0.1.0"). */
export type ShellKind = 'desktop' | 'cli';

const PLATFORMS: Partial<Record<NodeJS.Platform, DevicePlatform>> = { linux: 'linux', darwin: 'macos', win32: 'windows' };

/**
 * What this device says of itself when it registers (A9): the OS family, the OS release and the
 * app's shell and version. Nothing that names the machine or the person (no hostname, no user
 * name, H6); the release is cut to what the server accepts.
 */
export function thisDeviceDetails(shell: ShellKind, os: { platform: NodeJS.Platform; release: string } = { platform: platform(), release: release() }): DeviceDetails {
  return deviceDetailsSchema.parse({
    platform: PLATFORMS[os.platform] ?? 'other',
    osVersion: os.release.replace(/[^\x20-\x7E]/g, '').slice(0, 32),
    appVersion: `${shell} ${APP_VERSION}`,
  });
}
