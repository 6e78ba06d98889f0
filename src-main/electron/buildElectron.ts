import { bundleElectronShell } from './bundleElectronShell';

/** `npm run build:electron`: bundles the Electron shell into dist/electron (no Electron binary needed). */
bundleElectronShell({ minify: process.argv.includes('--minify') }).then(
  (result) => {
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`Electron shell: ${result.files.join(', ')} (main requires ${result.mainImports.join(', ')})\n`);
  },
  (error: unknown) => {
    process.stderr.write(`build:electron failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
