import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rememberPort } from '../src-main/web-shell/rememberedPort';
import { startWebShell, WebShellError, type WebShellOptions } from '../src-main/web-shell/startWebShell';
import { streamLogger } from '../src-main/core/util/streamLogger';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { makeRendererFixture } from './webShellFixture';

/** Nothing listens here: none of these shells gets as far as contacting a server. */
const UNUSED_SERVER = 'http://127.0.0.1:9';

describe("the web shell and its profile's port", () => {
  const directories = new TemporaryDirectories();
  const rendererDir = makeRendererFixture(directories);
  afterAll(() => directories.removeAll());

  const options = (profileDir: string, extra: Partial<WebShellOptions> = {}): WebShellOptions => ({
    profileDir,
    serverUrl: UNUSED_SERVER,
    open: false,
    rendererDir,
    environment: {},
    clock: { now: () => Date.now() },
    logger: streamLogger('silent', () => undefined),
    ...extra,
  });

  /** Something that answers every request on `host`, as a web shell would (200 and a page). */
  const impostor = async (host: string): Promise<Server & { port: number }> => {
    const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Parley</title>'));
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return Object.assign(server, { port: (server.address() as AddressInfo).port });
  };

  it.each(['127.0.0.1', '0.0.0.0'])('never serves through whatever holds the remembered port (on %s): it refuses, and opens nothing on the profile', async (host) => {
    const holder = await impostor(host);
    const profileDir = join(directories.make('web-shell-port'), 'alice');
    rememberPort(profileDir, holder.port);
    try {
      const attempt = startWebShell(options(profileDir));
      await expect(attempt).rejects.toThrow(WebShellError);
      await expect(startWebShell(options(profileDir))).rejects.toThrow(`port ${holder.port} on 127.0.0.1, which this profile uses`);
      // No vault, no key file: the profile was not touched before its port was held.
      expect(readdirSync(profileDir)).toEqual(['web-shell.json']);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('refuses --port N when something holds it, rather than sharing it', async () => {
    const holder = await impostor('127.0.0.1');
    try {
      await expect(startWebShell(options(directories.make('web-shell-port'), { port: holder.port }))).rejects.toThrow(
        `port ${holder.port} on 127.0.0.1 is taken by`,
      );
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('refuses an http:// server on another machine unless allowed (--insecure), before opening anything', async () => {
    const profileDir = join(directories.make('web-shell-port'), 'bob');
    await expect(startWebShell(options(profileDir, { serverUrl: 'http://chat.example:8787' }))).rejects.toThrow(
      /refusing unencrypted http:\/\/chat\.example:8787.*--insecure/,
    );
    const shell = await startWebShell(options(profileDir, { serverUrl: 'http://chat.example:8787', allowInsecureTransport: true }));
    expect(shell.launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    await shell.close();
  });
});
