import { bundleApps } from './bundleApps';

/** `npm run build:node`: bundles the launcher, web shell, CLI and server into dist/node (tools/bundleApps.ts). */
bundleApps().then(
  (result) => {
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stderr.write(`Built ${result.files.join(', ')} (packages loaded from node_modules: ${result.packages.join(', ')})\n`);
  },
  (error: unknown) => {
    process.stderr.write(`build:node failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
