import { BrowserWindow, nativeTheme, shell, type WebContents } from 'electron';
import type { Logger } from '../../src-shared/domain/runtime';
import { APP_ENTRY_URL, isAppUrl } from './appProtocol';
import { externalLinkTarget, secureWebPreferences } from './windowPolicy';

/**
 * The app window: native title bar, a size that fits a chat list beside a conversation, the
 * renderer from parley://app, and webPreferences with every security switch written out. It
 * remembers nothing (no bounds, no state): everything it shows comes from the renderer.
 */
export function createAppWindow(options: { preload: string; devTools: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Parley',
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    // Painted before the renderer's first frame, so the window does not flash white in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: secureWebPreferences(options),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/**
 * Navigation and new windows (Electron's checklist items 13–15), for every webContents the app
 * creates: nothing navigates, nothing opens a window, no <webview> attaches. A plain https link
 * the page tries to open goes to the OS browser instead, after externalLinkTarget checked it.
 */
export function guardWebContents(contents: WebContents, logger: Logger) {
  const openExternally = (url: string) => {
    const target = externalLinkTarget(url);
    if (!target) return logger.warn('electron.navigation_refused', {});
    shell.openExternal(target).catch(() => logger.warn('electron.open_external_failed', {}));
  };
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openExternally(event.url);
  });
  // Also subframes (frame-src 'none' already keeps them from loading anything).
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('render-process-gone', (_event, details) => logger.error('electron.renderer_gone', { reason: details.reason }));
}
