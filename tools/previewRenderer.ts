/**
 * PREVIEW HARNESS for the renderer's looks (not a test, not the app): serves dist/renderer on
 * 127.0.0.1, injects the scripted bridge of src-renderer/dev/previewBridge.ts before the app, and
 * screenshots each screen in light and dark with the system's Chromium.
 *
 *   npm run build:renderer && node_modules/.bin/tsx tools/previewRenderer.ts [outDir, default <tmp>/parley-preview]
 *
 * The screenshots for docs/ come from the real app (e2e); these are for the person styling it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { ensureBrowser, missingBrowserLine, nodeBrowserHost } from '../src-main/web-shell/browserLocator';

const root = resolve(import.meta.dirname, '..');
const rendererDir = join(root, 'dist/renderer');
const outDir = resolve(process.argv[2] ?? join(tmpdir(), 'parley-preview'));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };

async function main() {
  const bridgeScript = (
    await build({ entryPoints: [join(root, 'src-renderer/dev/previewBridge.ts')], bundle: true, format: 'iife', write: false, target: 'es2022' })
  ).outputFiles[0]?.text;
  if (!bridgeScript) throw new Error('the preview bridge did not bundle');

  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
    const file = join(rendererDir, path);
    if (!file.startsWith(rendererDir)) return void response.writeHead(403).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}/`;

  await mkdir(outDir, { recursive: true });
  const lookup = ensureBrowser(nodeBrowserHost());
  if (!lookup.found) throw new Error(missingBrowserLine(lookup));
  const browser = await chromium.launch({
    executablePath: lookup.executable,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // Playwright gives each launch a fresh, temporary user-data-dir of its own.
  });
  const problems: string[] = [];
  try {
    for (const colorScheme of ['light', 'dark'] as const) {
      const shoot = async (name: string, screen: string, act?: (page: Page) => Promise<void>) => {
        const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
        const page = await context.newPage();
        page.on('console', (message) => message.type() === 'error' && problems.push(`${name}/${colorScheme}: ${message.text()}`));
        page.on('pageerror', (error) => problems.push(`${name}/${colorScheme}: ${error.stack ?? error.message}`));
        page.on('request', (request) => !request.url().startsWith(url) && problems.push(`${name}: network request to ${request.url()}`));
        await page.addInitScript({ content: `window.__parleyPreview = ${JSON.stringify({ screen })};\n${bridgeScript}` });
        await page.goto(url);
        try {
          await act?.(page);
        } catch (error) {
          problems.push(`${name}/${colorScheme}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        }
        await page.screenshot({ path: join(outDir, `${name}-${colorScheme}.png`) });
        await context.close();
      };
      await shoot('sign-up', 'signup', async (page) => {
        await page.getByRole('textbox', { name: 'Username' }).fill('9alice');
        await page.getByRole('textbox', { name: 'Password' }).fill('short');
        await page.getByRole('button', { name: 'Create account' }).click();
      });
      await shoot('sign-in', 'signin', async (page) => {
        await page.getByRole('textbox', { name: 'Password' }).waitFor();
      });
      await shoot('chats', 'chats', async (page) => {
        await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /^bob/ }).click();
        await page.getByRole('log', { name: 'Messages' }).getByText('axis starts at 40').waitFor();
        await page.getByRole('textbox', { name: 'Message' }).fill('Sure, I will look at it after lunch.');
        // Runs in the page (a string, since this file has no DOM types).
        await page.evaluate(`(() => {
          const preview = window.__parleyPreviewMain;
          preview.emit('messaging', 'onDidChangeTyping', { accountId: preview.directory.get('bob'), typing: true });
        })()`);
        await page.getByText('typing…').waitFor();
      });
      await shoot('search-people', 'chats', async (page) => {
        await page.getByRole('list', { name: 'Chats' }).waitFor();
        await page.getByRole('textbox', { name: 'Search' }).fill('@grace');
        await page.getByRole('button', { name: /@grace/ }).waitFor();
      });
      await shoot('search-messages', 'chats', async (page) => {
        await page.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /^carol/ }).waitFor();
        await page.getByRole('textbox', { name: 'Search' }).fill('the');
        await page.getByRole('list', { name: 'Search results' }).waitFor();
      });
      await shoot('settings', 'chats', async (page) => {
        await page.getByRole('list', { name: 'Chats' }).waitFor();
        await page.getByRole('button', { name: 'Settings' }).click();
        await page.getByRole('radio', { name: 'System' }).waitFor();
      });
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`screenshots in ${outDir}`);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
}

await main();
