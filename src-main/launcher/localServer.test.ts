import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalServer, LocalServerError } from './localServer';

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

  it('starts one where none answers, shares it with the next launcher, and stops only its own', async () => {
    const port = await freePort();
    const environment = { ...process.env, PARLEY_SERVER_URL: '', PARLEY_LOG_LEVEL: 'error' };
    const first = await ensureLocalServer({ root: ROOT, environment, port, dataDir });
    expect(first).toMatchObject({ url: `http://127.0.0.1:${port}`, source: 'started' });
    const second = await ensureLocalServer({ root: ROOT, environment, port, dataDir });
    expect(second).toMatchObject({ url: `http://127.0.0.1:${port}`, source: 'shared' });
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
});
