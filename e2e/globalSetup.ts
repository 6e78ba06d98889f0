import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from './fixtures/repository';
import { ELECTRON_MAIN, electronAvailability } from './fixtures/shells';

const RENDERER_SOURCES = ['src-renderer', 'src-shared', 'vite.config.ts'];
const RENDERER_ENTRY = join(REPOSITORY_ROOT, 'dist/renderer/index.html');

/**
 * Builds the renderer once before the suites when dist/renderer is missing or older than its
 * sources, and the Electron shell when its binary is there to run it and it is not built yet.
 */
export default function globalSetup() {
  if (!existsSync(RENDERER_ENTRY) || newestModification(RENDERER_SOURCES) > statSync(RENDERER_ENTRY).mtimeMs) {
    run('build:renderer');
  }
  if (electronAvailability().available && !existsSync(ELECTRON_MAIN)) run('build:electron');
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
