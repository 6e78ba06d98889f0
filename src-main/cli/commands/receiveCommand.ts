import { secretChatIdOf, type InboxItem } from '../../../src-shared/domain/messages';
import type { ParleyCore } from '../../core/parleyCore';
import { openCore } from '../cliContext';

export class NotCaughtUpError extends Error {
  constructor(seconds: number) {
    super(`could not reach the server to receive within ${seconds} s; nothing was lost, try again`);
    this.name = 'NotCaughtUpError';
  }
}

/** How long receive keeps trying to reach the server before it gives up. */
const CONNECT_PATIENCE_SECONDS = 15;

/**
 * Prints what is queued for this device (and, on a profile linked since its last receive, the
 * history restored from the account's archive), one line per message, in the order received; then
 * keeps listening until `timeoutSeconds` pass with nothing new. Each item leaves the profile's
 * inbox only after it has been written to stdout.
 */
export async function receiveCommand(options: {
  profile: string;
  json: boolean;
  receipts: boolean;
  timeoutSeconds: number;
  insecure: boolean;
}) {
  const { core, stopped, close } = await openCore(options.profile, options.insecure);
  try {
    await new Promise<void>((resolve, reject) => {
      let caughtUp = false;
      let idleTimer: NodeJS.Timeout | undefined;
      let printing = Promise.resolve();
      const finish = (error?: Error) => {
        clearTimeout(idleTimer);
        clearTimeout(connectTimer);
        void printing.then(() => (error ? reject(error) : resolve()));
      };
      const restartIdle = () => {
        if (!caughtUp) return;
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => finish(), options.timeoutSeconds * 1000);
      };
      const drain = () => {
        printing = printing
          .then(() => printInbox(core, options))
          .then((printed) => {
            if (printed > 0) restartIdle();
          })
          .catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
      };
      const connectTimer = setTimeout(
        () => finish(new NotCaughtUpError(Math.max(CONNECT_PATIENCE_SECONDS, options.timeoutSeconds))),
        Math.max(CONNECT_PATIENCE_SECONDS, options.timeoutSeconds) * 1000,
      );
      core.onInboxChanged.on(drain);
      stopped.catch((error: Error) => finish(error));
      core.onCaughtUp.on(() => {
        clearTimeout(connectTimer);
        drain();
        // A linked profile's history from the archive counts as queued for it. Waited for beside
        // the printing, not in it: the restore pauses while the inbox is full, and only the
        // printing (which confirms what it printed) makes room.
        void core.archive.restoring().then(() => {
          drain();
          printing = printing.then(() => {
            caughtUp = true;
            restartIdle();
          });
        });
      });
      drain(); // anything a killed earlier run committed but never printed
      core.start();
    });
  } finally {
    await close();
  }
}

async function printInbox(core: ParleyCore, options: { json: boolean; receipts: boolean }): Promise<number> {
  let printed = 0;
  for (;;) {
    const items = core.readInbox(500);
    if (items.length === 0) return printed;
    const lines: string[] = [];
    for (const item of items) {
      const line = await formatItem(core, item, options);
      if (line !== undefined) lines.push(line);
    }
    if (lines.length > 0) await writeStdout(`${lines.join('\n')}\n`);
    core.confirmInbox(items.map((item) => item.inboxId));
    printed += lines.length;
  }
}

async function formatItem(core: ParleyCore, item: InboxItem, options: { json: boolean; receipts: boolean }) {
  if (item.kind === 'secret_chat') {
    const { chatId, peerAccountId, peerDeviceId } = item.secretChat;
    const peer = (await core.contacts.usernameOf(peerAccountId)) ?? peerAccountId;
    return options.json
      ? JSON.stringify({ type: 'secret_chat', change: item.change, chatId, with: peer, device: peerDeviceId })
      : `secret chat ${chatId} with @${peer} (device ${peerDeviceId}) ${item.change}`;
  }
  // The contacts and chat list a link handed over: the username cache has them already.
  if (item.kind === 'directory') return undefined;
  if (item.kind === 'identity_changed') {
    const { accountId, changedAt } = item.identityChange;
    const who = (await core.contacts.usernameOf(accountId)) ?? accountId;
    return options.json
      ? JSON.stringify({ type: 'identity_changed', account: who, changedAt })
      : `${timeText(changedAt)}  the safety number with @${who} changed: they started over with new keys`;
  }
  if (item.kind === 'read') {
    if (!options.receipts) return undefined;
    const conversation = (await core.contacts.usernameOf(item.read.conversationId)) ?? item.read.conversationId;
    return options.json
      ? JSON.stringify({ type: 'read', conversation, messageIds: item.read.messageIds })
      : `read on another device, with @${conversation}: ${item.read.messageIds.join(', ')}`;
  }
  if (item.kind === 'receipt') {
    if (!options.receipts) return undefined;
    const from = (await core.contacts.usernameOf(item.receipt.fromAccountId)) ?? item.receipt.fromAccountId;
    const { receiptType, messageIds, at } = item.receipt;
    return options.json
      ? JSON.stringify({ type: 'receipt', receipt: receiptType, messageIds, from, at })
      : `${timeText(at)}  ${receiptType} by @${from}: ${messageIds.join(', ')}`;
  }
  if (item.kind === 'profile') {
    const who = (await core.contacts.usernameOf(item.accountId)) ?? item.accountId;
    const { displayName, bio } = item.profile;
    return options.json
      ? JSON.stringify({ type: 'profile', account: who, displayName, bio })
      : `@${who} is now called ${withoutControlCharacters(displayName)}${bio ? ` (${withoutControlCharacters(bio)})` : ''}`;
  }
  if (item.kind === 'contact_joined') {
    return options.json
      ? JSON.stringify({ type: 'contact_joined', account: item.username, name: item.name })
      : `${withoutControlCharacters(item.name || item.username)} from your contacts is on Parley: @${item.username}`;
  }
  if (item.kind === 'username') {
    return options.json ? JSON.stringify({ type: 'username', accountId: item.accountId, username: item.username }) : `${item.accountId} is now @${item.username}`;
  }
  if (item.kind === 'avatar') {
    const who = (await core.contacts.usernameOf(item.accountId)) ?? item.accountId;
    const bytes = item.image === null ? 0 : Buffer.byteLength(item.image, 'base64');
    return options.json
      ? JSON.stringify({ type: 'avatar', account: who, bytes })
      : item.image === null
        ? `@${who} no longer shows you an avatar`
        : `@${who} has a new avatar (${bytes} bytes)`;
  }
  const { message } = item;
  const from = (await core.contacts.usernameOf(message.senderAccountId)) ?? message.senderAccountId;
  const conversation = (await core.contacts.usernameOf(message.conversationId)) ?? message.conversationId;
  if (!options.json) {
    const to = message.direction === 'out' ? ` → @${conversation}` : '';
    return `${timeText(message.sentAt)}  @${from}${to}: ${withoutControlCharacters(message.text)}`;
  }
  return JSON.stringify({
    type: 'message',
    id: message.messageId,
    from,
    text: message.text,
    sentAt: message.sentAt,
    receivedAt: message.serverReceivedAt,
    direction: message.direction,
    conversation,
    fromAccountId: message.senderAccountId,
    fromDevice: message.senderDeviceId,
    ...(message.secret && { secretChat: secretChatIdOf(message.conversationId), conversation: (await core.contacts.usernameOf(message.secret.peerAccountId)) ?? message.secret.peerAccountId }),
    // History from before this device was linked, restored from the account's archive (C5).
    ...(message.read && { restored: true }),
  });
}

/** A peer's clock is the peer's: whatever it says, it must not stop the printing. */
function timeText(time: number) {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? '(no valid time)' : date.toISOString();
}

/** Text mode writes to a terminal: a peer's escape sequences must not reach it. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const withoutControlCharacters = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');

function writeStdout(text: string) {
  return new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
