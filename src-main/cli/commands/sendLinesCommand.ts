import type { Readable } from 'node:stream';
import { LIMITS } from '../../../src-shared/domain/limits';
import { MessageTooLongError } from '../../core/coreErrors';
import { openCore } from '../cliContext';
import { UsageError } from '../cliArguments';
import { NotSentError } from './sendCommand';

/** Sends put in the outbox ahead of the oldest one not yet confirmed: bounds memory, keeps the pipe full. */
const IN_FLIGHT = 1_000;
/** Standard input read at most (a bigger batch is many runs): 64 MiB. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** The messages on `input`: one per line (LF or CRLF), empty lines skipped; every line checked before anything is sent. */
export async function readMessageLines(input: Readable): Promise<string[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > MAX_INPUT_BYTES) throw new UsageError(`send --stdin reads at most ${MAX_INPUT_BYTES} bytes`);
    chunks.push(bytes);
  }
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line !== '');
  const tooLong = lines.findIndex((line) => line.length > LIMITS.textMaxLength);
  if (tooLong >= 0) throw new UsageError(`line ${tooLong + 1} is longer than a message may be (${LIMITS.textMaxLength} characters); nothing was sent`);
  return lines;
}

/**
 * `send USERNAME --stdin`: many messages in one run, in the order of the lines, through one
 * connection. Each goes into the outbox as the one-message send does (durable before it counts
 * as queued); their ids are printed in order, each once the server has stored it. Fails with
 * NotSentError when `timeoutSeconds` pass without a confirmation; what is queued then goes out
 * on the profile's next connection.
 */
export async function sendLinesCommand(options: { profile: string; username: string; timeoutSeconds: number; insecure: boolean; input: Readable }) {
  const texts = await readMessageLines(options.input);
  const { core, stopped: fatal, close } = await openCore(options.profile, options.insecure);
  try {
    core.start();
    // Looked up once: sends to an account id then enqueue synchronously, so they keep line order.
    const to = { accountId: await core.contacts.accountIdOf(options.username) };
    const queued: Array<Promise<string>> = [];
    let next = 0;
    const queueMore = () => {
      while (next < texts.length && queued.length < IN_FLIGHT) {
        const text = texts[next++]!;
        const sent = core.sendText(to, text).then(async (message) => {
          await core.waitUntilSent(message.messageId);
          return message.messageId;
        });
        sent.catch(() => undefined);
        queued.push(sent);
      }
    };
    queueMore();
    while (queued.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NotSentError(options.timeoutSeconds)), options.timeoutSeconds * 1000);
      });
      try {
        const messageId = await Promise.race([queued.shift()!, timedOut, fatal]);
        process.stdout.write(`${messageId}\n`);
      } catch (error) {
        if (error instanceof MessageTooLongError) throw new UsageError(error.message);
        throw error;
      } finally {
        clearTimeout(timer);
      }
      queueMore();
    }
  } finally {
    await close();
  }
}
