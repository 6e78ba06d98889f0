import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Logger } from '../../src-shared/domain/runtime';
import type { BridgeDispatcher } from '../core/bridge/bridgeDispatcher';
import type { BridgeHost } from '../core/bridge/bridgeHost';
import { isAppUrl } from './appProtocol';
import { handleBridgeCall, type CallSender } from './bridgeCall';
import { PARLEY_CALL_CHANNEL, PARLEY_EVENT_CHANNEL } from './ipcChannels';

/** The sender as plain data. A frame that has gone since it sent throws on access: it counts as none. */
function describeSender(event: IpcMainInvokeEvent): CallSender {
  let frame: CallSender['frame'] = null;
  try {
    const sender = event.senderFrame;
    if (sender && !sender.detached) frame = { url: sender.url, isMainFrame: sender.parent === null };
  } catch {
    frame = null;
  }
  return { webContentsId: event.sender.id, frame };
}

/**
 * The one place ipcMain is touched. Calls arrive on `parley:call` and go through handleBridgeCall
 * (sender, shape) to the BridgeDispatcher (argument schema); the host's events go out on
 * `parley:event` to the app window while it shows our page. Returns what stops both.
 */
export function serveBridgeOverIpc(options: {
  dispatcher: BridgeDispatcher;
  host: BridgeHost;
  appWindow: () => BrowserWindow | undefined;
  logger: Logger;
}): () => void {
  const { dispatcher, host, appWindow, logger } = options;
  const appWebContentsId = () => {
    const window = appWindow();
    return window && !window.isDestroyed() ? window.webContents.id : undefined;
  };
  ipcMain.handle(PARLEY_CALL_CHANNEL, (event, request: unknown) =>
    handleBridgeCall({ dispatcher, logger, sender: describeSender(event), appWebContentsId: appWebContentsId(), request }),
  );
  const stopEvents = host.onEvent((bridgeEvent) => {
    const window = appWindow();
    if (!window || window.isDestroyed()) return;
    const contents = window.webContents;
    if (contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
    try {
      contents.send(PARLEY_EVENT_CHANNEL, bridgeEvent);
    } catch (error) {
      // A payload IPC cannot clone is a bug in main; it must not take the host's other listeners down.
      logger.error('ipc.event_not_sent', { service: bridgeEvent.service, event: bridgeEvent.event, reason: error instanceof Error ? error.name : 'unknown' });
    }
  });
  return () => {
    ipcMain.removeHandler(PARLEY_CALL_CHANNEL);
    stopEvents();
  };
}
