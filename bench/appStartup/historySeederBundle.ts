import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';

const ENTRY = fileURLToPath(new URL('./page/historySeeder.ts', import.meta.url));

/**
 * page/historySeeder.ts and the renderer's data layer it imports, bundled into one script to
 * evaluate in the app's page (through Playwright, so the app's CSP does not apply to it).
 */
export async function bundleHistorySeeder(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'error',
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'parleyBenchSeeder', fileName: () => 'historySeeder.js' },
    },
  });
  const results = (Array.isArray(output) ? output : [output]) as Rollup.RollupOutput[];
  const chunk = results.flatMap((result) => result.output).find((item): item is Rollup.OutputChunk => item.type === 'chunk');
  if (!chunk) throw new Error('bundling the history seeder produced no script');
  return chunk.code;
}
