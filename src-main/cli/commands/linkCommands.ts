import { thisDeviceDetails } from '../../core/account/deviceDetails';
import { wipeProfileKeys } from '../../core/host/profileKeyFile';
import { LinkRequest } from '../../core/linking/requestLink';
import { profileExists } from '../../core/profile/profileFiles';
import { cliLogger, openCore, openVault, systemClock } from '../cliContext';

/**
 * `link-request`: this new profile asks to be linked to an existing account (C5). Prints the
 * link code on one line, waits until a device of the account answers it (`link CODE`) or it
 * expires, registers, and says as whom.
 */
export async function linkRequestCommand(options: { profile: string; server: string; deviceName: string; insecure: boolean }) {
  const madeHere = !profileExists(options.profile);
  const vault = await openVault(options.profile, true);
  let linked = false;
  try {
    const request = await LinkRequest.open({
      vault,
      serverUrl: options.server,
      deviceName: options.deviceName,
      deviceDetails: thisDeviceDetails('cli'),
      clock: systemClock,
      allowInsecureTransport: options.insecure,
    });
    process.stdout.write(`${request.code}\n`);
    const stop = () => request.cancel();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const account = await request.linked();
      linked = true;
      cliLogger().info('cli.linked', { deviceId: account.deviceId });
      process.stdout.write(`Linked as @${account.username} (device ${account.deviceId})\n`);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  } finally {
    vault.close();
    // A profile this command made and could not link holds nothing worth keeping.
    if (madeHere && !linked) wipeProfileKeys(options.profile);
  }
}

/** `link CODE`: this registered profile links the new device waiting behind CODE. */
export async function linkCommand(options: { profile: string; code: string; insecure: boolean }) {
  const { core, stopped, close } = await openCore(options.profile, options.insecure);
  try {
    const linked = await Promise.race([core.devices.link(options.code), stopped]);
    process.stdout.write(`Linked "${linked.name}" to @${core.account.username}; it finishes on its own\n`);
  } finally {
    await close();
  }
}
