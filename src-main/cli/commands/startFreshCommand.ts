import { thisDeviceDetails } from '../../core/account/deviceDetails';
import { devicesOfAccount, startFresh } from '../../core/account/startFresh';
import { cliLogger, openVault, systemClock } from '../cliContext';
import { readSecret } from '../secretInput';
import { formatDevice } from './devicesCommand';

export type StartFreshOptions = { profile: string; server: string; username: string; deviceName: string; confirmed: boolean; insecure: boolean };

/**
 * `start-fresh USERNAME`: a profile with none of the account's keys signs in by password (C5).
 * Without `--yes` it only names the devices the account is signed in on (only they can read its
 * history; link from one of them instead) and changes nothing, exiting 1. With `--yes` it starts
 * the account over here: a new identity, every other device ended, the archive deleted.
 */
export async function startFreshCommand(options: StartFreshOptions): Promise<number> {
  const password = await readSecret('PARLEY_PASSWORD', 'the account password');
  const { server: serverUrl, username, insecure: allowInsecureTransport } = options;
  if (!options.confirmed) {
    const devices = await devicesOfAccount({ serverUrl, username, password, allowInsecureTransport });
    process.stdout.write(devices.map((device) => `${formatDevice({ ...device, thisDevice: false }, false)}\n`).join(''));
    process.stderr.write(
      `@${username}'s history can be read only on the devices above. To keep it, link this profile from one of them (link-request).\n` +
        'Nothing changed. To start the account over here instead (new keys, every other device ended, the archive deleted), run again with --yes.\n',
    );
    return 1;
  }
  const vault = await openVault(options.profile, true);
  try {
    const account = await startFresh({
      vault,
      serverUrl,
      username,
      password,
      deviceName: options.deviceName,
      deviceDetails: thisDeviceDetails('cli'),
      clock: systemClock,
      allowInsecureTransport,
    });
    cliLogger().info('cli.started_fresh', { deviceId: account.deviceId });
    process.stdout.write(`Started @${account.username} afresh (device ${account.deviceId}) on ${account.serverUrl}; every other device was signed out\n`);
    return 0;
  } finally {
    vault.close();
  }
}
