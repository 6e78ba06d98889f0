import { build, type Metafile } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Where `npm run build:electron` writes: main.js and preload.js, next to dist/renderer. */
export const DEFAULT_ELECTRON_OUT_DIR = fileURLToPath(new URL('../../dist/electron', import.meta.url));

/**
 * Loaded from node_modules at run time, never bundled: Electron itself, and the native modules
 * (their .node files cannot live inside a bundle; electron-builder unpacks them from the asar).
 */
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3', '@signalapp/libsignal-client', 'sharp'] as const;
/** ws's optional speed-ups: it requires them inside try/catch and does without when they are missing. */
const OPTIONAL_EXTERNALS = ['bufferutil', 'utf-8-validate'];

/** Electron 41 ships Node 24 and Chromium 146; older targets only cost size. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome130';

export class ElectronBundleError extends Error {
  override name = 'ElectronBundleError';
}

/** What a bundle imports at run time (what esbuild left external). */
function externalImports(metafile: Metafile, output: string): string[] {
  const entry = Object.entries(metafile.outputs).find(([path]) => path.endsWith(output));
  return [...new Set((entry?.[1].imports ?? []).filter((item) => item.external).map((item) => item.path))].sort();
}

/**
 * Bundles the Electron shell. main.js: CommonJS for Node (an ESM entry runs its body after the
 * app is ready, too late for registerSchemesAsPrivileged and the single-instance lock), with
 * MAIN_EXTERNALS left to require(). preload.js: one CommonJS file for a sandboxed renderer, which
 * can require nothing but `electron`; the build fails if it would need anything else. A
 * package.json marks the folder CommonJS, since the project's says "module". `minify` is for
 * main.js; the preload is always minified.
 */
export async function bundleElectronShell(options: { outDir?: string; minify?: boolean } = {}) {
  const outDir = options.outDir ?? DEFAULT_ELECTRON_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  const common = { bundle: true, format: 'cjs', sourcemap: true, legalComments: 'none', logLevel: 'silent', metafile: true } as const;
  const [main, preload] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(HERE, 'main.ts')],
      outfile: join(outDir, 'main.js'),
      platform: 'node',
      target: NODE_TARGET,
      minify: options.minify ?? false,
      external: [...MAIN_EXTERNALS, ...OPTIONAL_EXTERNALS],
    }),
    build({
      ...common,
      entryPoints: [join(HERE, 'preload.ts')],
      outfile: join(outDir, 'preload.js'),
      platform: 'browser',
      target: CHROME_TARGET,
      // Parsed at every page load; most of it is zod, which the contract's descriptors bring along.
      minify: true,
      external: ['electron'],
    }),
  ]);
  const preloadImports = externalImports(preload.metafile, 'preload.js');
  if (preloadImports.some((path) => path !== 'electron')) {
    throw new ElectronBundleError(`the sandboxed preload may require only electron, but needs ${preloadImports.join(', ')}`);
  }
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  const warnings = [...main.warnings, ...preload.warnings].map((warning) => warning.text);
  return {
    outDir,
    files: ['main.js', 'preload.js', 'package.json'].map((name) => relative(process.cwd(), join(outDir, name))),
    mainImports: externalImports(main.metafile, 'main.js'),
    preloadImports,
    warnings,
  };
}
