import { z } from 'zod';
import type { Logger } from '../../src-shared/domain/runtime';
import { failure, type Result } from '../../src-shared/ipc/result';
import type { BridgeDispatcher } from '../core/bridge/bridgeDispatcher';
import { isAppUrl } from './appProtocol';

/** Who sent an IPC message, as Electron tells it (event.sender.id and event.senderFrame). */
export type CallSender = {
  webContentsId: number;
  /** null when the frame has gone (navigated away or destroyed) since it sent. */
  frame: { url: string; isMainFrame: boolean } | null;
};

/**
 * Electron's checklist item 17: any frame of any webContents can reach ipcMain. Calls are taken
 * only from the app window's main frame while it shows our own page.
 */
export function isTrustedSender(sender: CallSender, appWebContentsId: number | undefined): boolean {
  return (
    appWebContentsId !== undefined &&
    sender.webContentsId === appWebContentsId &&
    sender.frame !== null &&
    sender.frame.isMainFrame &&
    isAppUrl(sender.frame.url)
  );
}

const requestSchema = z
  .object({ service: z.string().max(100), method: z.string().max(100), argument: z.unknown() })
  .strict();

const schemeOf = (url: string | undefined) => (url ? (/^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'unparsable') : 'none');

/**
 * One `parley:call`: the sender is checked, the request's shape is checked, then the
 * BridgeDispatcher (which validates the argument with the method's schema) runs it. Always
 * resolves with a Result; nothing of the argument is logged.
 */
export async function handleBridgeCall(options: {
  dispatcher: Pick<BridgeDispatcher, 'call'>;
  logger: Logger;
  sender: CallSender;
  appWebContentsId: number | undefined;
  request: unknown;
}): Promise<Result<unknown>> {
  const { sender, logger } = options;
  if (!isTrustedSender(sender, options.appWebContentsId)) {
    logger.warn('ipc.untrusted_sender', { scheme: schemeOf(sender.frame?.url), mainFrame: sender.frame?.isMainFrame ?? null });
    return failure('invalid_argument', "calls are taken only from the app's own page");
  }
  const parsed = requestSchema.safeParse(options.request);
  if (!parsed.success) {
    logger.warn('ipc.malformed_call', {});
    return failure('invalid_argument', 'a call is { service, method, argument }');
  }
  return options.dispatcher.call(parsed.data.service, parsed.data.method, parsed.data.argument);
}
