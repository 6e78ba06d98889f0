import { fileURLToPath } from 'node:url';

const PAGE_ENTRY = fileURLToPath(new URL('./page/main.ts', import.meta.url));

/** The page bridge, built in by tools/bundleApps.ts; absent when the web shell runs from source. */
declare const PARLEY_PAGE_BRIDGE: string | undefined;

/**
 * The page-side bridge (page/main.ts and what it imports from src-shared) as one classic script.
 * A built web shell (dist/node) carries it, bundled with the shell from the same sources; from
 * source it is bundled now, so it always matches the contract it is built from.
 */
export async function bundlePageBridge(): Promise<string> {
  if (typeof PARLEY_PAGE_BRIDGE === 'string') return PARLEY_PAGE_BRIDGE;
  // Loaded only here: a built shell never needs esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('bundling the page bridge produced no output');
  return output.text;
}
