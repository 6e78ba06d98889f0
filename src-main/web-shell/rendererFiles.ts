import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** Where the page-side bridge is served; index.html loads it before the renderer's bundle. */
export const BRIDGE_SCRIPT_PATH = '/parley-bridge.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export type FileAnswer =
  | { status: 200; contentType: string; body: Buffer | string }
  | { status: 400 | 404 | 500; reason: string };

/**
 * The path's segments below the root, or undefined when the path tries to leave it: `..` and
 * `.` segments (also percent-encoded), hidden files, backslashes, NUL bytes, malformed escapes.
 */
export function rendererPathSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return undefined;
  return segments;
}

/** index.html with the bridge script placed before its first script, so `window.parley` exists before the renderer runs. */
export function injectBridgeScript(html: string): string | undefined {
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;
  const firstScript = html.search(/<script[\s>]/i);
  if (firstScript >= 0) return `${html.slice(0, firstScript)}${tag}\n${html.slice(firstScript)}`;
  const headEnd = html.search(/<\/head>/i);
  if (headEnd >= 0) return `${html.slice(0, headEnd)}${tag}\n${html.slice(headEnd)}`;
  return undefined;
}

/**
 * The built renderer (`dist/renderer`), read-only: files inside the root only (symbolic links
 * that lead out are refused), no directory listings.
 */
export class RendererFiles {
  private realRoot: string | undefined;

  constructor(private readonly root: string) {}

  async read(rawPath: string): Promise<FileAnswer> {
    const segments = rendererPathSegments(rawPath);
    if (!segments) return { status: 400, reason: 'bad path' };
    if (segments.length === 0 || (segments.length === 1 && segments[0] === 'index.html')) return this.index();
    const file = await this.fileInside(segments);
    if (!file) return { status: 404, reason: 'not found' };
    return { status: 200, contentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', body: await readFile(file) };
  }

  private async index(): Promise<FileAnswer> {
    const file = await this.fileInside(['index.html']);
    if (!file) return { status: 500, reason: 'the renderer has no index.html: run npm run build:renderer' };
    const html = injectBridgeScript(await readFile(file, 'utf8'));
    if (html === undefined) return { status: 500, reason: "the renderer's index.html has no <head>" };
    return { status: 200, contentType: CONTENT_TYPES['.html']!, body: html };
  }

  /** The real path of a regular file under the root, or undefined. */
  private async fileInside(segments: string[]): Promise<string | undefined> {
    this.realRoot ??= await realpath(this.root);
    let real: string;
    try {
      real = await realpath(join(this.realRoot, ...segments));
      if (!real.startsWith(this.realRoot + sep) || !(await stat(real)).isFile()) return undefined;
    } catch {
      return undefined;
    }
    return real;
  }
}
