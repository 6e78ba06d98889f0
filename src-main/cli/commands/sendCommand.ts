import { openCore } from '../cliContext';
import { sendLinesCommand } from './sendLinesCommand';

export class NotSentError extends Error {
  constructor(seconds: number) {
    super(
      `the server did not confirm the message within ${seconds} s; it stays queued in this profile ` +
        'and goes out the next time the profile connects (send or receive)',
    );
    this.name = 'NotSentError';
  }
}

/** Prints the message id once the server has stored the message durably. */
export async function sendCommand(options: { profile: string; username: string; text: string | null; timeoutSeconds: number; insecure: boolean }) {
  if (options.text === null) return sendLinesCommand({ ...options, input: process.stdin });
  const text = options.text;
  const { core, stopped, close } = await openCore(options.profile, options.insecure);
  try {
    core.start();
    const message = await core.sendText({ username: options.username }, text);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new NotSentError(options.timeoutSeconds)), options.timeoutSeconds * 1000);
    });
    try {
      await Promise.race([core.waitUntilSent(message.messageId), timedOut, stopped]);
    } finally {
      clearTimeout(timer);
    }
    process.stdout.write(`${message.messageId}\n`);
  } finally {
    await close();
  }
}
