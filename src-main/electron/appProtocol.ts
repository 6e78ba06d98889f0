import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from './contentSecurityPolicy';

/**
 * The renderer is served from `parley://app/…` rather than file://. A standard, secure scheme
 * gives the page a real origin of its own (IndexedDB, the history store, is per origin; 'self' in
 * the CSP means exactly our files; a secure context for WebCrypto and WebRTC), response headers
 * (the CSP as a header), and a handler that answers only for files of the built renderer. file://
 * would grant every page the whole disk's files as same-origin and cannot carry headers.
 */
export const APP_SCHEME = 'parley';
export const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged. Not corsEnabled: no other origin may read our files,
 * and not bypassCSP. Service workers stay off.
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
});

/** Whether `url` is a page or file of the app itself (`parley://app/…`). Node's URL gives non-special schemes the origin "null", so scheme and host are compared. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export type AppResponse = { status: number; headers: Record<string, string>; body: Uint8Array | null };

const refusal = (status: number, reason: string): AppResponse => ({
  status,
  headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  body: new TextEncoder().encode(reason),
});

/**
 * The answer to one request of the app protocol: a file of the built renderer, found under
 * `rendererDir` (its real path, so a symbolic link cannot lead out of it), or a refusal. Only
 * GET and HEAD of `parley://app/…`; `/` is index.html; a path that decodes to anything outside
 * the folder, or holds a backslash or NUL, is refused.
 */
export async function answerAppRequest(rendererDir: string, request: { url: string; method: string }): Promise<AppResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'method not allowed');
  if (!isAppUrl(request.url)) return refusal(404, 'not found');
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url).pathname);
  } catch {
    return refusal(400, 'bad path');
  }
  if (path.includes('\\') || path.includes('\0')) return refusal(400, 'bad path');
  if (path === '/') path = '/index.html';

  let root: string;
  try {
    root = await realpath(rendererDir);
  } catch {
    return refusal(404, 'the renderer is not built');
  }
  const wanted = resolve(root, `.${path}`);
  if (!wanted.startsWith(root + sep)) return refusal(404, 'not found');
  let file: string;
  try {
    file = await realpath(wanted);
    if (!file.startsWith(root + sep) || !(await stat(file)).isFile()) return refusal(404, 'not found');
  } catch {
    return refusal(404, 'not found');
  }
  const headers = { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
  return { status: 200, headers, body: request.method === 'HEAD' ? null : new Uint8Array(await readFile(file)) };
}
