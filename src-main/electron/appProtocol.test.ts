import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAppRequest, APP_ENTRY_URL, isAppUrl } from './appProtocol';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';

let base: string;
let rendererDir: string;
const text = (body: Uint8Array | null) => (body ? new TextDecoder().decode(body) : null);

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'parley-app-protocol-'));
  rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'a file.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => answerAppRequest(rendererDir, { url, method });

describe('answerAppRequest', () => {
  it('serves the entry page with the CSP and the right content type', async () => {
    const response = await get(APP_ENTRY_URL);
    expect(response.status).toBe(200);
    expect(text(response.body)).toContain('<title>Parley</title>');
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('serves / as index.html, scripts as JavaScript (module scripts need it), and decodes escaped names', async () => {
    expect(text((await get('parley://app/')).body)).toContain('Parley');
    const script = await get('parley://app/assets/index-abc.js?v=1');
    expect(script.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(text(script.body)).toBe('console.log(1)');
    expect((await get('parley://app/assets/a%20file.css')).status).toBe(200);
  });

  it('answers HEAD without a body', async () => {
    const response = await get(APP_ENTRY_URL, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
  });

  it('refuses other methods, hosts and schemes', async () => {
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
    expect((await get('parley://other/index.html')).status).toBe(404);
    expect((await get('parley://user:pass@app/index.html')).status).toBe(404);
    expect((await get('file:///etc/passwd')).status).toBe(404);
  });

  it('never serves a file outside the renderer folder, however the path is spelled', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link.txt']) {
      const response = await get(`parley://app${path}`);
      expect(response.status, path).not.toBe(200);
      expect(text(response.body), path).not.toContain('outside the renderer');
    }
  });

  it('refuses backslashes, NUL, bad escapes, folders and missing files', async () => {
    expect((await get('parley://app/assets%5cindex-abc.js')).status).toBe(400);
    expect((await get('parley://app/index.html%00.js')).status).toBe(400);
    expect((await get('parley://app/%E0%A4%A')).status).toBe(400);
    expect((await get('parley://app/assets')).status).toBe(404);
    expect((await get('parley://app/missing.js')).status).toBe(404);
  });

  it('says so when the renderer is not built', async () => {
    const response = await answerAppRequest(join(base, 'nowhere'), { url: APP_ENTRY_URL, method: 'GET' });
    expect(response.status).toBe(404);
    expect(text(response.body)).toMatch(/not built/);
  });
});

describe('isAppUrl', () => {
  it('accepts only parley://app pages', () => {
    expect(isAppUrl('parley://app/index.html')).toBe(true);
    expect(isAppUrl('parley://app/index.html#chat')).toBe(true);
    expect(isAppUrl('parley://app.evil/index.html')).toBe(false);
    expect(isAppUrl('parley://evil/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('about:blank')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
