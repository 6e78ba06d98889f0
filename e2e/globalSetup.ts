import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_SOURCE_LABEL, ensureBrowser, missingBrowserLine, nodeBrowserHost } from '../src-main/web-shell/browserLocator';
import { REPOSITORY_ROOT } from './fixtures/repository';
import { ELECTRON_MAIN, electronAvailability } from './fixtures/shells';

const RENDERER_SOURCES = ['src-renderer', 'src-shared', 'vite.config.ts'];
const RENDERER_ENTRY = join(REPOSITORY_ROOT, 'dist/renderer/index.html');

/**
 * Finds the suites' Chromium, or installs it where it may (browserLocator.ts), once per run: it
 * lands in PARLEY_CHROMIUM, which the workers inherit. Without one the run stops at once, with
 * the one line that names the command. Then builds the renderer once before the suites when
 * dist/renderer is missing or older than its sources, and the Electron shell when its binary is
 * there to run it and it is not built yet, and the bundles of dist/node when stale.
 */
export default function globalSetup() {
  const browser = ensureBrowser(nodeBrowserHost(process.env));
  if (!browser.found) {
    process.stderr.write(`e2e: ${missingBrowserLine(browser)}\n`);
    process.exit(1);
  }
  console.log(`e2e: Chromium ${browser.executable} (${BROWSER_SOURCE_LABEL[browser.source]})`);
  if (!existsSync(RENDERER_ENTRY) || newestModification(RENDERER_SOURCES) > statSync(RENDERER_ENTRY).mtimeMs) {
    run('build:renderer');
  }
  if (electronAvailability().available && !existsSync(ELECTRON_MAIN)) run('build:electron');
  // The web shell runs from dist/node (npm run web): built once here when stale, so the first
  // journey does not pay for it (each start checks again, and rebuilds only after a change).
  const built = spawnSync(process.execPath, ['tools/runBuilt.mjs', '--build'], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building dist/node failed (${built.signal ?? built.status})`);
}

function run(script: string) {
  console.log(`e2e: npm run ${script}`);
  const build = spawnSync('npm', ['run', '--silent', script], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run ${script} failed (${build.signal ?? build.status})`);
}

function newestModification(folders: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const folder of folders) {
    const path = join(REPOSITORY_ROOT, folder);
    if (existsSync(path)) visit(path);
  }
  return newest;
}
