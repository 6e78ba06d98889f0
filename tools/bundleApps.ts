import { build, type Metafile } from 'esbuild';
import { isBuiltin } from 'node:module';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePageBridge } from '../src-main/web-shell/pageBundle';
import { NODE_BUILD_STAMP, NODE_ENTRIES } from '../src-main/launcher/buildFreshness';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Loaded from node_modules at run time, never bundled: the native modules (their .node files are
 * found next to their JavaScript), esbuild (the web shell's source runs bundle the page bridge
 * with it; a bundle carries it prebuilt), and packages a bundled dependency requires only inside
 * try/catch (ws's speed-ups, pg's native driver).
 */
export const NODE_EXTERNALS = [
  'better-sqlite3',
  '@signalapp/libsignal-client',
  '@node-rs/argon2',
  'sharp',
  'esbuild',
  'electron',
  'playwright-core',
  'bufferutil',
  'utf-8-validate',
  'pg-native',
] as const;

/** Node 20 is the oldest the project runs on (package.json "engines"). */
const NODE_TARGET = 'node20';

/**
 * An ES module bundle still meets CommonJS packages (fastify, pino, ws) that call require() on
 * Node's built-ins; esbuild's ESM output has no require of its own, so each bundle gets one.
 */
const REQUIRE_BANNER = "import { createRequire as __parleyCreateRequire } from 'node:module';\nconst require = __parleyCreateRequire(import.meta.url);";

/** The packages the bundles import at run time (what esbuild left external, Node's built-ins aside). */
function externalPackages(metafile: Metafile): string[] {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((item) => item.external).map((item) => item.path));
  return [...new Set(imports)].filter((path) => !isBuiltin(path)).sort();
}

/**
 * Bundles the programs a person runs — the launcher (`npm start`), the web shell (`npm run web`),
 * the command-line client (`npm run cli`) and the server (`npm run server`) — into dist/node, one
 * ES module each, so they start from JavaScript Node loads directly instead of a transpiler
 * resolving and compiling a few hundred TypeScript files at every start. A bundle's
 * `import.meta.url` is two folders below the checkout (dist/node), as its entry's source was
 * (src-main/launcher, src-main/web-shell), so paths like `../../dist/renderer` mean the same
 * from both. Written into a fresh folder and moved into place file by file, so a
 * program starting meanwhile loads a whole old bundle or a whole new one.
 */
export async function bundleApps(options: { outDir?: string } = {}) {
  const outDir = options.outDir ?? join(ROOT, 'dist/node');
  mkdirSync(outDir, { recursive: true });
  const staging = mkdtempSync(join(outDir, '.build-'));
  try {
    // The web shell's page-side bridge, built once here instead of at every web shell start.
    const pageBridge = await bundlePageBridge();
    const result = await build({
      entryPoints: Object.fromEntries(NODE_ENTRIES.map((entry) => [entry.name, join(ROOT, entry.source)])),
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: NODE_TARGET,
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'silent',
      metafile: true,
      banner: { js: REQUIRE_BANNER },
      define: { PARLEY_PAGE_BRIDGE: JSON.stringify(pageBridge) },
      external: [...NODE_EXTERNALS],
    });
    const files = NODE_ENTRIES.flatMap((entry) => [`${entry.name}.mjs`, `${entry.name}.mjs.map`]);
    for (const file of files) renameSync(join(staging, file), join(outDir, file));
    // The stamp last: its time is what freshness is measured against (NODE_BUILD.output).
    writeFileSync(join(outDir, NODE_BUILD_STAMP), `${JSON.stringify({ entries: NODE_ENTRIES.map((entry) => entry.name) })}\n`);
    return {
      files: [...files.filter((file) => file.endsWith('.mjs')).map((file) => relative(process.cwd(), join(outDir, file)))],
      packages: externalPackages(result.metafile),
      warnings: result.warnings.map((warning) => warning.text),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
