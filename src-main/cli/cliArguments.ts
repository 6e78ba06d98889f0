import { parseArgs } from 'node:util';
import { z } from 'zod';
import { deviceNameSchema } from '../../src-shared/domain/devices';
import { deviceIdSchema } from '../../src-shared/domain/ids';
import { checkServerTransport, InsecureTransportError } from '../core/api/serverTransport';

/** A mistake in how the command was called: exit code 2, with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `insecure`: --insecure, allowing http:// and ws:// to a server on another machine (see TransportOptions). */
export type CliCommand =
  | { name: 'register'; profile: string; server: string; username: string; deviceName: string; insecure: boolean }
  /** `text` null: `--stdin`, one message per line of standard input (see sendCommand). */
  | { name: 'send'; profile: string; username: string; text: string | null; timeoutSeconds: number; insecure: boolean }
  | { name: 'receive'; profile: string; json: boolean; receipts: boolean; timeoutSeconds: number; insecure: boolean }
  /** Active sessions (A9): this account's devices, or ending one of them. */
  | { name: 'devices'; profile: string; json: boolean; insecure: boolean }
  | { name: 'terminate-device'; profile: string; deviceId: number; insecure: boolean }
  /** Linking (C5): the new device waits behind a code; a registered device answers it. */
  | { name: 'link-request'; profile: string; server: string; deviceName: string; insecure: boolean }
  | { name: 'link'; profile: string; code: string; insecure: boolean }
  /** No device left (C5): `confirmed` (--yes) starts the account over here; without it, only its devices are named. */
  | { name: 'start-fresh'; profile: string; server: string; username: string; deviceName: string; confirmed: boolean; insecure: boolean }
  | { name: 'help' };

const seconds = z.coerce.number().min(0).max(86_400);

export function parseCliArguments(argv: string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: 'string' },
        server: { type: 'string' },
        json: { type: 'boolean', default: false },
        receipts: { type: 'boolean', default: false },
        stdin: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'device-name': { type: 'string' },
        name: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const insecure = values.insecure;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') return { name: 'help' };
  const profile = values.profile;
  if (!profile) throw new UsageError('--profile DIR is required');
  const timeout = (fallback: number) => {
    if (values.timeout === undefined) return fallback;
    const result = seconds.safeParse(values.timeout);
    if (!result.success) throw new UsageError('--timeout takes a number of seconds between 0 and 86400');
    return result.data;
  };
  const serverFor = (what: string) => {
    if (!values.server) throw new UsageError(`${what} needs --server URL`);
    const server = z.url({ protocol: /^https?$/ }).safeParse(values.server);
    if (!server.success) throw new UsageError(`--server must be an http(s) URL, got "${values.server}"`);
    try {
      checkServerTransport(server.data, { allowInsecureTransport: insecure });
    } catch (error) {
      if (error instanceof InsecureTransportError) throw new UsageError(`--server: ${error.message}`);
      throw error;
    }
    return server.data;
  };
  const deviceName = (given: string | undefined) => {
    if (given === undefined) return 'Parley CLI';
    const name = deviceNameSchema.safeParse(given);
    if (!name.success) throw new UsageError(`the device name: ${name.error.issues[0]?.message ?? 'not a name'}`);
    return name.data;
  };
  switch (command) {
    case 'register': {
      if (rest.length !== 1) throw new UsageError('register takes one USERNAME');
      const server = serverFor('register');
      return { name: 'register', profile, server, username: rest[0]!, deviceName: deviceName(values['device-name']), insecure };
    }
    case 'link-request': {
      if (rest.length !== 0) throw new UsageError('link-request takes no arguments (--name NAME names this device)');
      return { name: 'link-request', profile, server: serverFor('link-request'), deviceName: deviceName(values.name ?? values['device-name']), insecure };
    }
    case 'start-fresh': {
      if (rest.length !== 1) throw new UsageError('start-fresh takes one USERNAME');
      const server = serverFor('start-fresh');
      return { name: 'start-fresh', profile, server, username: rest[0]!, deviceName: deviceName(values['device-name']), confirmed: values.yes, insecure };
    }
    case 'link':
      if (rest.length !== 1) throw new UsageError('link takes the CODE that link-request printed (quote it)');
      return { name: 'link', profile, code: rest[0]!, insecure };
    case 'send':
      if (values.stdin) {
        if (rest.length !== 1) throw new UsageError('send --stdin takes USERNAME only (the texts come one per line of standard input)');
        return { name: 'send', profile, username: rest[0]!, text: null, timeoutSeconds: timeout(30), insecure };
      }
      if (rest.length !== 2) throw new UsageError('send takes USERNAME and TEXT (quote the text), or USERNAME and --stdin');
      return { name: 'send', profile, username: rest[0]!, text: rest[1]!, timeoutSeconds: timeout(30), insecure };
    case 'receive':
      if (rest.length !== 0) throw new UsageError('receive takes no arguments');
      return { name: 'receive', profile, json: values.json, receipts: values.receipts, timeoutSeconds: timeout(0), insecure };
    case 'devices': {
      if (rest.length === 0) return { name: 'devices', profile, json: values.json, insecure };
      if (rest[0] !== 'terminate' || rest.length !== 2) throw new UsageError('devices takes no arguments, or terminate DEVICE_ID');
      const deviceId = deviceIdSchema.safeParse(/^\d{1,3}$/.test(rest[1]!) ? Number(rest[1]) : NaN);
      if (!deviceId.success) throw new UsageError(`DEVICE_ID is a device number from "parley devices" (1 to 127), not "${rest[1]}"`);
      return { name: 'terminate-device', profile, deviceId: deviceId.data, insecure };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
