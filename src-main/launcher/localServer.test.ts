import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createInterface } from 'node:readline';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import { ensureLocalServer, LAUNCH_KEY_FILE, LAUNCH_TOKEN_VARIABLE, LocalServerError } from './localServer';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe("npm start's local server", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-launcher-server-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses PARLEY_SERVER_URL when set, and refuses one that is not an http(s) URL', async () => {
    const server = await ensureLocalServer({ root: ROOT, environment: { PARLEY_SERVER_URL: 'https://chat.example:8443' } });
    expect(server).toMatchObject({ url: 'https://chat.example:8443', source: 'environment' });
    await expect(ensureLocalServer({ root: ROOT, environment: { PARLEY_SERVER_URL: 'chat.example' } })).rejects.toThrow(
      'PARLEY_SERVER_URL must be an http(s) URL',
    );
  });

  it('takes an http:// PARLEY_SERVER_URL on another machine only with allowInsecureTransport (--insecure)', async () => {
    const environment = { PARLEY_SERVER_URL: 'http://chat.example:8787' };
    await expect(ensureLocalServer({ root: ROOT, environment })).rejects.toThrow(/PARLEY_SERVER_URL: refusing unencrypted .*--insecure/);
    expect(await ensureLocalServer({ root: ROOT, environment, allowInsecureTransport: true })).toMatchObject({ source: 'environment' });
    expect(await ensureLocalServer({ root: ROOT, environment: { PARLEY_SERVER_URL: 'http://127.0.0.1:7180' } })).toMatchObject({ source: 'environment' });
  });

  it('starts one where none answers, shares it with the next launcher, and stops only its own', async () => {
    const port = await freePort();
    const environment = { ...process.env, PARLEY_SERVER_URL: '', PARLEY_LOG_LEVEL: 'error' };
    const first = await ensureLocalServer({ root: ROOT, environment, port, dataDir });
    expect(first).toMatchObject({ url: `http://127.0.0.1:${port}`, source: 'started' });
    const second = await ensureLocalServer({ root: ROOT, environment, port, dataDir });
    expect(second).toMatchObject({ url: `http://127.0.0.1:${port}`, source: 'shared' });
    expect(statSync(join(dataDir, LAUNCH_KEY_FILE)).mode & 0o777).toBe(0o600);
    await second.stop();
    expect((await fetch(`http://127.0.0.1:${port}/v1/health`)).status).toBe(200);
    await first.stop();
    await expect(fetch(`http://127.0.0.1:${port}/v1/health`)).rejects.toThrow();
  });

  it('refuses a port held by something that is not a Parley server, naming the process', async () => {
    const impostor = createHttpServer((_request, response) => response.writeHead(404).end('nope'));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const address = impostor.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    try {
      const attempt = ensureLocalServer({ root: ROOT, environment: {}, port: address.port, dataDir });
      await expect(attempt).rejects.toThrow(LocalServerError);
      await expect(ensureLocalServer({ root: ROOT, environment: {}, port: address.port, dataDir })).rejects.toThrow(
        new RegExp(`port ${address.port} is taken by process ${process.pid} .* not a Parley server \\(it answered 404`),
      );
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  });

  /** A stand-in that answers /v1/health exactly as a Parley server does, in a process of its own. */
  const healthImpostor = async (environment: NodeJS.ProcessEnv) => {
    const script = `
      const server = require('node:http').createServer((request, response) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, protocolVersion: ${PROTOCOL_VERSION} })));
      server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
    const child = spawn(process.execPath, ['-e', script], { env: environment, stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve) => createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line))));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { port, stop: () => (child.kill('SIGTERM'), exited) };
  };

  it.runIf(process.platform === 'linux')('refuses a Parley server on the port that no npm start on this data folder started', async () => {
    const plain = await healthImpostor({});
    const forged = await healthImpostor({ [LAUNCH_TOKEN_VARIABLE]: `${'0'.repeat(32)}.${'0'.repeat(64)}` });
    try {
      await expect(ensureLocalServer({ root: ROOT, environment: {}, port: plain.port, dataDir })).rejects.toThrow(
        new RegExp(`port ${plain.port} has a Parley server that npm start did not start here \\(process \\d+ .* was not started by npm start\\)`, 's'),
      );
      await expect(ensureLocalServer({ root: ROOT, environment: {}, port: forged.port, dataDir })).rejects.toThrow(
        `was not started by npm start on this data folder), so it is not used: it could be anyone's. Stop it, or set PARLEY_SERVER_URL=http://127.0.0.1:${forged.port}`,
      );
    } finally {
      await plain.stop();
      await forged.stop();
    }
  });

  it.runIf(process.platform === 'linux')('does not share a server started by npm start on another data folder', async () => {
    const port = await freePort();
    const environment = { ...process.env, PARLEY_SERVER_URL: '', PARLEY_LOG_LEVEL: 'error' };
    const otherDataDir = mkdtempSync(join(tmpdir(), 'parley-launcher-other-'));
    const first = await ensureLocalServer({ root: ROOT, environment, port, dataDir: otherDataDir });
    try {
      await expect(ensureLocalServer({ root: ROOT, environment, port, dataDir })).rejects.toThrow('not started by npm start on this data folder');
    } finally {
      await first.stop();
      rmSync(otherDataDir, { recursive: true, force: true });
    }
  });
});
