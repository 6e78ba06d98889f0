import { ZodError } from 'zod';
import { parseCliArguments, UsageError } from './cliArguments';
import { listDevicesCommand, terminateDeviceCommand } from './commands/devicesCommand';
import { linkCommand, linkRequestCommand } from './commands/linkCommands';
import { registerCommand } from './commands/registerCommand';
import { receiveCommand } from './commands/receiveCommand';
import { sendCommand } from './commands/sendCommand';
import { startFreshCommand } from './commands/startFreshCommand';
import { USAGE } from './usage';
import { ServerError, ServerUnreachableError } from '../core/api/serverApi';

/** The command-line shell: `npm run cli -- …`. Errors go to stderr, with a non-zero exit. */
async function main(argv: string[]): Promise<number> {
  const command = parseCliArguments(argv);
  switch (command.name) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'register':
      await registerCommand(command);
      return 0;
    case 'send':
      await sendCommand(command);
      return 0;
    case 'receive':
      await receiveCommand(command);
      return 0;
    case 'devices':
      await listDevicesCommand(command);
      return 0;
    case 'link-request':
      await linkRequestCommand(command);
      return 0;
    case 'link':
      await linkCommand(command);
      return 0;
    case 'start-fresh':
      return startFreshCommand(command);
    case 'terminate-device':
      await terminateDeviceCommand(command);
      return 0;
  }
}

function describe(error: unknown): string {
  if (error instanceof ZodError) return error.issues.map((issue) => issue.message).join('; ');
  if (error instanceof ServerError) {
    switch (error.code) {
      case 'username_taken':
        return 'that username is taken; choose another';
      case 'not_found':
        return `not found: ${error.message}`;
      case 'unauthorized':
        return `the server refused the credentials: ${error.message}`;
      default:
        return `the server refused: ${error.message}`;
    }
  }
  if (error instanceof ServerUnreachableError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`parley: ${describe(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
