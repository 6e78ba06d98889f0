import { protocol, type Session } from 'electron';
import type { Logger } from '../../src-shared/domain/runtime';
import { answerAppRequest, APP_SCHEME, APP_SCHEME_PRIVILEGES, isAppUrl } from './appProtocol';
import { isAllowedRequest, permissionDecision } from './windowPolicy';

/** The app scheme's privileges; Electron takes them only before the app is ready. */
export function registerAppScheme() {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

const schemeOf = (url: string) => /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'unparsable';

/**
 * The session the window lives in: it serves the built renderer on parley://app (with the CSP
 * header), denies every permission request and check, cancels every request that would leave the
 * app (the network, the disk), and refuses downloads. Logs name schemes and permissions, never
 * addresses.
 */
export function hardenSession(session: Session, options: { rendererDir: string; logger: Logger }) {
  const { rendererDir, logger } = options;
  session.protocol.handle(APP_SCHEME, async (request) => {
    const answer = await answerAppRequest(rendererDir, { url: request.url, method: request.method });
    if (answer.status !== 200) logger.warn('electron.app_protocol_refused', { status: answer.status });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const granted = permissionDecision(permission, details.requestingUrl, isAppUrl);
    if (!granted) logger.info('electron.permission_denied', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin, isAppUrl));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) logger.warn('electron.request_blocked', { scheme: schemeOf(details.url), type: details.resourceType });
    callback({ cancel: !allowed });
  });
  session.on('will-download', (event) => {
    logger.warn('electron.download_refused', {});
    event.preventDefault();
  });
}
