import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('./server.ts', import.meta.url));

/** Runs `server.ts` as its own process, the way `npm run server --` does. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    env: { ...process.env, PARLEY_DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('server.ts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-server-process-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints exactly one URL line once listening, serves, and exits 0 on SIGTERM', async () => {
    const server = start(['--port', '0', '--data-dir', dataDir]);
    await expect.poll(() => server.output().stdout, { timeout: 20_000 }).toMatch(/\n$/);
    const { stdout } = server.output();
    expect(stdout).toMatch(/^PARLEY_SERVER_URL=http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = stdout.trim().slice('PARLEY_SERVER_URL='.length);
    expect(await (await fetch(`${url}/v1/health`)).json()).toEqual({ ok: true, protocolVersion: 1 });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toBe(stdout);
    const events = server.output().stderr.trim().split('\n').map((line) => JSON.parse(line).event);
    expect(events).toContain('server_closed');
  });

  it('refuses a bad argument with a clear message and a non-zero exit', async () => {
    const server = start(['--port', 'eighty']);
    expect(await server.exited).toBe(2);
    expect(server.output().stdout).toBe('');
    expect(server.output().stderr).toContain('--port must be a whole number');
    expect(server.output().stderr).toContain('usage:');
  });
});
