import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the renderer bundle is built from: a change to any of these makes dist/renderer stale. */
export const RENDERER_BUILD = {
  output: 'dist/renderer/index.html',
  sources: ['src-renderer', 'src-shared', 'vite.config.ts'],
  script: 'build:renderer',
};
/** The Electron shell's entry, built by its own script from src-main and src-shared. */
export const ELECTRON_BUILD = { output: 'dist/electron/main.js', sources: ['src-main', 'src-shared'], script: 'build:electron' };
/** The programs bundled into dist/node by `npm run build:node` (tools/bundleApps.ts), run by tools/runBuilt.mjs. */
export const NODE_ENTRIES = [
  { name: 'start', source: 'src-main/launcher/start.ts' },
  { name: 'web', source: 'src-main/web-shell/main.ts' },
  { name: 'cli', source: 'src-main/cli/main.ts' },
  { name: 'server', source: 'src-server/server.ts' },
] as const;
/** Written last by a build of dist/node, so its time is the build's. */
export const NODE_BUILD_STAMP = 'build.json';
/**
 * The bundles' freshness, by the same rule as the renderer's: tools/runBuilt.mjs applies it (in
 * plain JavaScript, as it runs before anything is built) with these very sources.
 */
export const NODE_BUILD = {
  output: `dist/node/${NODE_BUILD_STAMP}`,
  sources: ['src-main', 'src-shared', 'src-server', 'tools/bundleApps.ts', 'package.json', 'package-lock.json'],
  script: 'build:node',
};
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist']);

export class BuildError extends Error {
  override name = 'BuildError';
}

/** The newest modification time under `path` (a file or folder), 0 if it does not exist. */
function newestChange(path: string): number {
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

/** Why `output` must be (re)built from `sources` (paths relative to `root`), or undefined when it is up to date. */
export function staleReason(root: string, build: { output: string; sources: readonly string[] }): string | undefined {
  const output = join(root, build.output);
  if (!existsSync(output)) return `${build.output} is missing`;
  const built = statSync(output).mtimeMs;
  const changed = build.sources.find((source) => newestChange(join(root, source)) > built);
  return changed ? `${changed} changed since ${build.output} was built` : undefined;
}

/** Whether package.json has this script. */
export function hasNpmScript(root: string, script: string): boolean {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts;
  return typeof scripts?.[script] === 'string';
}

/** Runs `npm run <script>` in `root`, its output on stderr (stdout carries the launcher's own lines). */
export function runNpmScript(root: string, script: string, environment: NodeJS.ProcessEnv): Promise<void> {
  if (!hasNpmScript(root, script)) return Promise.reject(new BuildError(`package.json has no "${script}" script`));
  // Inside `npm start`, npm_execpath is npm's own script: the same npm runs the build.
  const npm = environment.npm_execpath;
  const command = npm ? process.execPath : 'npm';
  const args = npm ? [npm, 'run', script] : ['run', script];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: environment, stdio: ['ignore', 2, 2] });
    child.once('error', (error) => reject(new BuildError(`could not run npm run ${script}: ${error.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new BuildError(`npm run ${script} failed (exit code ${code})`))));
  });
}
