import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../../src-shared/domain/appVersion';
import { thisDeviceDetails } from './deviceDetails';

describe('thisDeviceDetails', () => {
  it('names the OS family, its release and the shell with its version, and nothing else', () => {
    expect(thisDeviceDetails('desktop', { platform: 'linux', release: '6.1.0-18-amd64' })).toEqual({
      platform: 'linux',
      osVersion: '6.1.0-18-amd64',
      appVersion: `desktop ${APP_VERSION}`,
    });
    expect(thisDeviceDetails('cli', { platform: 'darwin', release: '23.4.0' })).toMatchObject({ platform: 'macos', appVersion: `cli ${APP_VERSION}` });
    expect(thisDeviceDetails('cli', { platform: 'win32', release: '10.0.22631' }).platform).toBe('windows');
    expect(thisDeviceDetails('cli', { platform: 'freebsd', release: '14.0' }).platform).toBe('other');
  });

  it('cuts a release the server would refuse to what it accepts', () => {
    const details = thisDeviceDetails('cli', { platform: 'linux', release: `6.1\u0000-${'x'.repeat(60)}` });
    expect(details.osVersion).toHaveLength(32);
    expect(details.osVersion).not.toContain('\u0000');
  });

  it("APP_VERSION is package.json's version", () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(manifest.version);
  });
});
