// `node tools/runBuilt.mjs NAME [ARGS…]`: what `npm start`, `npm run web`, `npm run cli` and
// `npm run server` run. Builds dist/node first when it is missing or older than its sources
// (`npm run build:node`, tools/bundleApps.ts, under tsx), then runs dist/node/NAME.mjs in this very
// process with ARGS as its arguments: no transpiler and no second Node at run time, and signals
// reach the program itself. `node tools/runBuilt.mjs --build` only builds when stale.
//
// Plain JavaScript because it runs before anything is built. The freshness rule and its sources
// are those of NODE_BUILD in src-main/launcher/buildFreshness.ts (a test holds the two together).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const NAMES = ['start', 'web', 'cli', 'server'];
export const STAMP = 'dist/node/build.json';
export const SOURCES = ['src-main', 'src-shared', 'src-server', 'tools/bundleApps.ts', 'package.json', 'package-lock.json'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist']);

/** The newest modification time under `path` (a file or folder), 0 if it does not exist. */
function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_FOLDERS.has(entry.name)) continue;
    newest = Math.max(newest, newestChange(join(path, entry.name)));
  }
  return newest;
}

/** Why dist/node must be (re)built, or undefined when it is up to date. */
export function staleReason(root) {
  const missing = [STAMP, ...NAMES.map((name) => `dist/node/${name}.mjs`)].find((file) => !existsSync(join(root, file)));
  if (missing) return `${missing} is missing`;
  const built = statSync(join(root, STAMP)).mtimeMs;
  const changed = SOURCES.find((source) => newestChange(join(root, source)) > built);
  return changed ? `${changed} changed since it was built` : undefined;
}

/** Builds dist/node when stale; its output goes to stderr (stdout belongs to the program). */
function ensureBuilt() {
  const reason = staleReason(ROOT);
  if (!reason) return;
  process.stderr.write(`Building the app into dist/node (${reason})…\n`);
  const build = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/buildApps.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) {
    process.stderr.write(`parley: building dist/node failed (${build.signal ?? `exit code ${build.status}`})\n`);
    process.exit(1);
  }
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (name === '--build') return ensureBuilt();
  if (!NAMES.includes(name)) {
    process.stderr.write(`usage: node tools/runBuilt.mjs ${NAMES.join('|')} [ARGS…]  or  --build\n`);
    process.exit(2);
  }
  ensureBuilt();
  // The program reads its arguments from process.argv.slice(2), as if started as `node NAME.mjs ARGS…`.
  const program = join(ROOT, 'dist/node', `${name}.mjs`);
  process.argv.splice(1, process.argv.length - 1, program, ...args);
  await import(pathToFileURL(program).href);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
