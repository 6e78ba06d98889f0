import { thisDeviceDetails } from '../../core/account/deviceDetails';
import { registerAccount } from '../../core/account/registerAccount';
import { cliLogger, openVault, systemClock } from '../cliContext';
import { readNewSecret } from '../secretInput';

export async function registerCommand(options: { profile: string; server: string; username: string; deviceName: string; insecure: boolean }) {
  const password = await readNewSecret('PARLEY_PASSWORD', 'a password for the account');
  const vault = await openVault(options.profile, true);
  try {
    const account = await registerAccount({
      vault,
      serverUrl: options.server,
      username: options.username,
      password,
      deviceName: options.deviceName,
      deviceDetails: thisDeviceDetails('cli'),
      clock: systemClock,
      allowInsecureTransport: options.insecure,
    });
    cliLogger().info('cli.registered', { deviceId: account.deviceId });
    process.stdout.write(`Registered @${account.username} (device ${account.deviceId}) on ${account.serverUrl}\n`);
  } finally {
    vault.close();
  }
}
