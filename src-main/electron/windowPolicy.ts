import type { WebPreferences } from 'electron';
import { APP_SCHEME } from './appProtocol';

/**
 * The decisions that keep the window a sealed box, as plain functions (windows.ts and
 * appSession.ts wire them to Electron). The page is our own renderer and nothing else: it may not
 * navigate, open windows, frame anything, reach the network, or get a permission.
 */

/** The window's webPreferences: Electron's secure defaults written out, so none depends on a default. */
export function secureWebPreferences(options: { preload: string; devTools: boolean }): WebPreferences {
  return {
    preload: options.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // Chromium's spellchecker downloads dictionaries from Google's servers on Linux and Windows.
    spellcheck: false,
    devTools: options.devTools,
  };
}

const EXTERNAL_URL_MAX_LENGTH = 2_048;

/**
 * The address to hand to the OS browser (shell.openExternal) when the page tries to open or
 * navigate to `url`, or undefined to just refuse. Only plain https links qualify: no other scheme
 * (openExternal would start whatever app handles it: file:, smb:, custom schemes…), no
 * credentials, no overlong address. The normalised form is returned, not the page's string.
 */
export function externalLinkTarget(url: string): string | undefined {
  if (url.length > EXTERNAL_URL_MAX_LENGTH) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}

/**
 * Permissions a feature has asked for, by Electron's permission name. None yet: calls (media),
 * notifications and the like each add theirs with the feature, and only for our own page.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/** Whether a permission request or check from `requestingUrl` is granted. */
export function permissionDecision(permission: string, requestingUrl: string, isAppPage: (url: string) => boolean): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppPage(requestingUrl);
}

/** Schemes the page may load from: our own files, and in-memory data the page made itself. */
const ALLOWED_REQUEST_SCHEMES: ReadonlySet<string> = new Set([`${APP_SCHEME}:`, 'data:', 'blob:', 'devtools:']);

/**
 * Whether a request from the app's session may proceed. The renderer has no network of its own
 * (ARCHITECTURE §1): http(s), ws(s), file and everything else is cancelled, so even injected
 * markup cannot beacon out. (WebRTC media does not pass through here.)
 */
export function isAllowedRequest(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return ALLOWED_REQUEST_SCHEMES.has(parsed.protocol);
}
