import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { INSECURE_FLAG } from '../core/api/serverTransport';

export type ElectronBinary = { available: true; binary: string } | { available: false; reason: string };

/**
 * Electron's binary, if installed. The `electron` package's main module is the binary's path;
 * where its download was skipped (this project's build machines) requiring it throws.
 */
export function findElectron(): ElectronBinary {
  let binary: unknown;
  try {
    binary = createRequire(import.meta.url)('electron');
  } catch {
    return { available: false, reason: "Electron's binary is not installed" };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { available: false, reason: `Electron's binary is missing (${String(binary)})` };
  return { available: true, binary };
}

/** The Electron shell's arguments for a profile (electron/electronArguments.ts reads them). */
export function electronArguments(options: { entry: string; profileDir: string; serverUrl: string; allowInsecureTransport?: boolean }) {
  return [
    options.entry,
    '--profile',
    options.profileDir,
    '--server',
    options.serverUrl,
    ...(options.allowInsecureTransport ? [INSECURE_FLAG] : []),
  ];
}

/**
 * Runs the Electron shell on a profile until it quits; resolves with its exit code.
 * `allowInsecureTransport` passes --insecure on.
 */
export function runElectron(options: {
  binary: string;
  entry: string;
  root: string;
  profileDir: string;
  serverUrl: string;
  allowInsecureTransport?: boolean;
  environment: NodeJS.ProcessEnv;
}) {
  const child = spawn(options.binary, electronArguments(options), {
    cwd: options.root,
    env: options.environment,
    stdio: ['ignore', 2, 2],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    exited,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
