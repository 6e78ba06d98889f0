import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORT_FILE } from '../src-main/web-shell/rememberedPort';
import { startServer, type ServerUnderTest } from './harness/serverUnderTest';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { makeRendererFixture, PageSocket, redeem, WebShellProcess } from './webShellFixture';

describe('npm run web (the web shell process)', () => {
  const directories = new TemporaryDirectories();
  let server: ServerUnderTest;
  let rendererDir: string;
  const running: WebShellProcess[] = [];

  beforeAll(async () => {
    server = await startServer({ name: 'sqlite' }, directories);
    rendererDir = makeRendererFixture(directories);
  });
  afterAll(async () => {
    await Promise.all(running.map((shell) => shell.stop()));
    await server.close();
    directories.removeAll();
  });

  const start = async (profileDir: string, ...extra: string[]) => {
    const started = await WebShellProcess.start(['--profile', profileDir, '--server', server.url, '--no-open', '--renderer', rendererDir, ...extra]);
    running.push(started.process);
    return started;
  };
  const pageOn = async (launchUrl: string) => {
    const url = new URL(launchUrl);
    const cookie = await redeem(launchUrl);
    return PageSocket.open(Number(url.port), { Host: url.host, Origin: url.origin, Cookie: cookie });
  };

  it('prints one PARLEY_URL line, keeps its port per profile, refuses a second process, and closes the host on SIGTERM', async () => {
    const profileDir = join(directories.make('web-shell-process'), 'alice');
    const first = await start(profileDir);
    expect(first.launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const port = Number(new URL(first.launchUrl!).port);
    expect(JSON.parse(readFileSync(join(profileDir, PORT_FILE), 'utf8'))).toEqual({ port });

    const page = await pageOn(first.launchUrl!);
    expect(await page.call(1, 'account', 'register', { username: 'procalice', password: 'correct horse battery' })).toMatchObject({
      result: { ok: true, value: { username: 'procalice' } },
    });

    // The same profile again while it runs: refused, naming the port and the process holding it.
    const second = await start(profileDir);
    expect(second.launchUrl).toBeUndefined();
    expect(await second.process.exited).toBe(1);
    expect(second.process.stdout).toEqual([]);
    expect(second.process.stderr.join('\n')).toContain(`port ${port} on 127.0.0.1, which this profile uses`);
    expect(second.process.stderr.join('\n')).toContain(`process ${first.process.pid} (`);

    // A port given with --port that is taken: named, with what to do.
    const other = await start(join(directories.make('web-shell-process'), 'bob'), '--port', String(port));
    expect(await other.process.exited).toBe(1);
    expect(other.process.stderr.join('\n')).toContain(`port ${port} on 127.0.0.1 is taken by process ${first.process.pid}`);

    expect(await first.process.stop()).toBe(0);
    expect(first.process.stdout).toEqual([`PARLEY_URL=${first.launchUrl}`]);
    expect(first.process.stderr.some((line) => line.includes('"web_shell.host_closed"'))).toBe(true);
    page.close();

    // Back on the same port; the profile is locked until its password is given, and opens (so
    // the first process did close the vault).
    const again = await start(profileDir);
    expect(Number(new URL(again.launchUrl!).port)).toBe(port);
    const reopened = await pageOn(again.launchUrl!);
    expect(await reopened.call(1, 'account', 'getState', {})).toMatchObject({ result: { ok: true, value: { status: 'locked', username: 'procalice' } } });
    expect(await reopened.call(2, 'account', 'unlock', { password: 'correct horse battery' })).toMatchObject({
      result: { ok: true, value: { username: 'procalice' } },
    });
    reopened.close();
    expect(await again.process.stop()).toBe(0);
  });

  it('says clearly when the renderer is not built, and exits non-zero', async () => {
    const started = await WebShellProcess.start([
      '--profile',
      directories.make('web-shell-process'),
      '--server',
      server.url,
      '--no-open',
      '--renderer',
      join(rendererDir, 'missing'),
    ]);
    expect(await started.process.exited).toBe(1);
    expect(started.process.stderr.join('\n')).toContain('index.html is missing: build the renderer first (npm run build:renderer');
  });

  it('answers a usage mistake with exit code 2 and the usage', async () => {
    const started = await WebShellProcess.start(['--profile', 'p']);
    expect(await started.process.exited).toBe(2);
    expect(started.process.stderr.join('\n')).toContain('--server URL is required');
    expect(started.process.stderr.join('\n')).toContain('usage: npm run web');
  });
});
