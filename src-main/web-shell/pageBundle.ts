import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const PAGE_ENTRY = fileURLToPath(new URL('./page/main.ts', import.meta.url));

/**
 * The page-side bridge (page/main.ts and what it imports from src-shared) as one classic script,
 * bundled when the web shell starts so it always matches the contract it is built from.
 */
export async function bundlePageBridge(): Promise<string> {
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
