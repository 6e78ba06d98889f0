import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the CLI profiles these tests make are locked with (PARLEY_PASSPHRASE). */
export const CLI_PASSPHRASE = 'cli passphrase';

const CLI_ENTRY = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

const environment = (extra: Record<string, string | undefined>) => {
  const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_PASSPHRASE: CLI_PASSPHRASE, PARLEY_PASSWORD: 'cli account password' };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
};

/** Starts `parley ARGS` as its own process, the way a user's script runs it. */
export function spawnCli(args: string[], extraEnvironment: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    env: environment(extraEnvironment),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `parley ARGS` to completion. */
export function runCli(args: string[], extraEnvironment: Record<string, string | undefined> = {}): Promise<CliResult> {
  const child = spawnCli(args, extraEnvironment);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

export const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
