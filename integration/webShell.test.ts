import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WEB_BRIDGE_LIMITS } from '../src-shared/ipc/webBridgeFrames';
import type { BridgeHost } from '../src-main/core/bridge/bridgeHost';
import { openBridgeHost } from '../src-main/core/host/openBridgeHost';
import { streamLogger } from '../src-main/core/util/streamLogger';
import { bundlePageBridge } from '../src-main/web-shell/pageBundle';
import { WebShellServer } from '../src-main/web-shell/webShellServer';
import { startServer, type ServerUnderTest } from './harness/serverUnderTest';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { eventually, TestDevice } from './harness/testDevice';
import { get, makeRendererFixture, PageSocket, redeem, SECRET } from './webShellFixture';

describe('the web shell', () => {
  const directories = new TemporaryDirectories();
  let server: ServerUnderTest;
  let rendererDir: string;
  let bridgeScript: string;
  let host: BridgeHost;
  let shell: WebShellServer;
  let port: number;
  let logs: string[];

  beforeAll(async () => {
    server = await startServer({ name: 'sqlite' }, directories);
    rendererDir = makeRendererFixture(directories);
    bridgeScript = await bundlePageBridge();
  });
  afterAll(async () => {
    await server.close();
    directories.removeAll();
  });

  beforeEach(async () => {
    logs = [];
    const logger = streamLogger('debug', (line) => logs.push(line));
    shell = new WebShellServer({ rendererDir, bridgeScript, logger });
    port = await shell.listen(0);
    host = await openBridgeHost({
      profileDir: directories.make('web-shell-profile'),
      serverUrl: server.url,
      keyProtection: { kind: 'password' },
      clock: { now: () => Date.now() },
      logger,
    });
    shell.serve(host);
  });
  afterEach(async () => {
    await shell.close();
    await host.close();
  });

  const hostHeader = () => ({ Host: `127.0.0.1:${port}` });
  const pageHeaders = (cookie: string) => ({ ...hostHeader(), Origin: `http://127.0.0.1:${port}`, Cookie: cookie });

  it('trades the token once for an HttpOnly, SameSite=Strict cookie and a redirect to /', async () => {
    const launch = new URL(shell.launchUrl);
    expect(launch.origin).toBe(`http://127.0.0.1:${port}`);
    const first = await get(port, `/?token=${launch.searchParams.get('token')}`, hostHeader());
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^parley-session-${port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    const cookie = setCookie.split(';')[0]!;

    const again = await get(port, `/?token=${launch.searchParams.get('token')}`, hostHeader());
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await get(port, '/?token=guess', hostHeader())).status).toBe(403);
    expect((await get(port, '/', hostHeader())).status).toBe(401);
    expect((await get(port, '/', { ...hostHeader(), Cookie: `parley-session-${port}=forged` })).status).toBe(401);

    // The browser holding the cookie gets the app, and a reload keeps working.
    for (let reload = 0; reload < 2; reload++) {
      const page = await get(port, '/', { ...hostHeader(), Cookie: cookie });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('<script src="/parley-bridge.js"></script>\n<script type="module" crossorigin src="./assets/app.js">');
    }
    const script = await get(port, '/parley-bridge.js', { ...hostHeader(), Cookie: cookie });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe(bridgeScript);
    expect(logs.join('\n')).not.toContain(launch.searchParams.get('token'));
  });

  it('puts the security headers on every answer, refusals included', async () => {
    const cookie = await redeem(shell.launchUrl);
    const answers = [
      await get(port, '/', { ...hostHeader(), Cookie: cookie }),
      await get(port, '/assets/app.js', { ...hostHeader(), Cookie: cookie }),
      await get(port, '/missing.js', { ...hostHeader(), Cookie: cookie }),
      await get(port, '/favicon.ico', { ...hostHeader(), Cookie: cookie }),
      await get(port, '/', hostHeader()),
      await get(port, '/', { Host: `evil.example:${port}` }),
    ];
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toBe(
        "default-src 'self'; script-src 'self'; connect-src 'self' " +
          `ws://127.0.0.1:${port}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; ` +
          "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['cache-control']).toBe('no-store');
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 204, 401, 421]);
    expect(answers[1]!.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('serves nothing outside the renderer folder and lists no folder', async () => {
    const cookie = await redeem(shell.launchUrl);
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets%00/../../secret.txt',
      '/%',
      '/assets',
      '/assets/',
      '/.%2e/secret.txt',
      '//etc/passwd',
      'http://127.0.0.1/../secret.txt',
    ];
    for (const path of attempts) {
      const answer = await get(port, path, { ...hostHeader(), Cookie: cookie });
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain(SECRET);
      expect(answer.body, path).not.toContain('app.js');
    }
    expect((await get(port, '/assets/style.css', { ...hostHeader(), Cookie: cookie })).status).toBe(200);
    expect((await get(port, '/assets/app.js', hostHeader())).status).toBe(401);
  });

  it('opens the bridge socket only with the cookie, from this origin, to this host', async () => {
    const cookie = await redeem(shell.launchUrl);
    const origin = `http://127.0.0.1:${port}`;
    const refusals: [string, Record<string, string>, string?][] = [
      ['no cookie', { ...hostHeader(), Origin: origin }],
      ['a forged cookie', pageHeaders(`parley-session-${port}=forged`)],
      ['no Origin', { ...hostHeader(), Cookie: cookie }],
      ['another site', { ...pageHeaders(cookie), Origin: 'http://evil.example' }],
      ['localhost instead of 127.0.0.1', { ...pageHeaders(cookie), Origin: `http://localhost:${port}` }],
      ['another port', { ...pageHeaders(cookie), Origin: `http://127.0.0.1:${port + 1}` }],
      ['a foreign Host (DNS rebinding)', { ...pageHeaders(cookie), Host: `evil.example:${port}` }],
      ['another path', pageHeaders(cookie), '/not-the-bridge'],
    ];
    for (const [why, headers, path] of refusals) {
      await expect(PageSocket.open(port, headers, path), why).rejects.toThrow('refused with 403');
    }
    const page = await PageSocket.open(port, pageHeaders(cookie));
    expect(await page.call(1, 'account', 'getState', {})).toEqual({ type: 'result', id: 1, result: { ok: true, value: { status: 'signed_out' } } });
    page.close();
  });

  it("answers calls with the dispatcher's Result, and refused frames with typed errors while the socket carries on", async () => {
    const page = await PageSocket.open(port, pageHeaders(await redeem(shell.launchUrl)));
    expect(await page.call(1, 'contacts', 'findByUsername', { username: '!' })).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: false, error: { code: 'invalid_argument' } },
    });
    expect(await page.call(2, 'account', 'toString', {})).toMatchObject({ result: { ok: false, error: { code: 'invalid_argument', message: 'no such method on account' } } });
    expect(await page.call(3, 'account', 'historyKey', {})).toMatchObject({ result: { ok: false, error: { code: 'not_signed_in' } } });

    page.send('not json');
    expect(await page.next()).toEqual({ type: 'error', id: null, error: { code: 'invalid_argument', message: 'a frame is one JSON object' } });
    page.send({ type: 'call', id: 7, service: 'account' });
    expect(await page.next()).toMatchObject({ type: 'error', id: 7, error: { code: 'invalid_argument', message: expect.stringContaining('method') } });
    page.send({ type: 'subscribe', id: 8 });
    expect(await page.next()).toMatchObject({ type: 'error', id: 8, error: { code: 'invalid_argument' } });
    page.send({ type: 'call', id: -1, service: 'account', method: 'getState', argument: {} });
    expect(await page.next()).toMatchObject({ type: 'error', id: null, error: { code: 'invalid_argument' } });
    page.send({ type: 'call', id: 9, service: 'account', method: 'getState', argument: {}, extra: 1 });
    expect(await page.next()).toMatchObject({ type: 'error', id: 9, error: { code: 'invalid_argument' } });
    page.socket.send(Buffer.from('{}'), { binary: true });
    expect(await page.next()).toMatchObject({ type: 'error', id: null, error: { code: 'invalid_argument' } });
    page.send(JSON.stringify({ type: 'call', id: 10, service: 'messaging', method: 'sendText', argument: { text: 'x'.repeat(WEB_BRIDGE_LIMITS.frameMaxBytes) } }));
    expect(await page.next()).toMatchObject({ type: 'error', id: null, error: { code: 'too_long' } });

    expect(await page.call(11, 'account', 'getState', {})).toEqual({ type: 'result', id: 11, result: { ok: true, value: { status: 'signed_out' } } });
    expect(logs.join('\n')).not.toContain('xxxxxxxx');
    page.close();
  });

  it("pushes the host's events to every page: account state, messages arriving, message status", async () => {
    const cookie = await redeem(shell.launchUrl);
    const first = await PageSocket.open(port, pageHeaders(cookie));
    const second = await PageSocket.open(port, pageHeaders(cookie));
    const registered = await first.call(1, 'account', 'register', { username: 'webalice', password: 'correct horse battery' });
    expect(registered).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { username: 'webalice' } } });
    for (const page of [first, second]) {
      expect(await page.next((frame) => frame.type === 'event' && frame.event === 'onDidChangeState')).toMatchObject({
        type: 'event',
        service: 'account',
        payload: { status: 'signed_in', account: { username: 'webalice' } },
      });
    }
    const alice = registered.type === 'result' && registered.result.ok ? (registered.result.value as { accountId: string }) : undefined;

    const bob = await TestDevice.register(server.url, 'webbob', directories);
    await bob.start();
    try {
      await bob.core.sendText({ accountId: alice!.accountId }, 'hello over the local socket');
      await first.next((frame) => frame.type === 'event' && frame.service === 'messaging' && frame.event === 'onDidReceive');
      const inbox = await first.call(2, 'messaging', 'readInbox', { limit: 10 });
      expect(inbox).toMatchObject({ type: 'result', result: { ok: true, value: [{ kind: 'message', message: { text: 'hello over the local socket' } }] } });

      const sent = await first.call(3, 'messaging', 'sendText', { to: bob.accountId, text: 'and back' });
      expect(sent).toMatchObject({ type: 'result', result: { ok: true } });
      const messageId = sent.type === 'result' && sent.result.ok ? (sent.result.value as { messageId: string }).messageId : '';
      expect(
        await second.next(
          (frame) => frame.type === 'event' && frame.event === 'onDidChangeMessageStatus' && (frame.payload as { messageId: string }).messageId === messageId,
        ),
      ).toMatchObject({ service: 'messaging', payload: { messageId, status: 'sent' } });
      await eventually(
        () => bob.messages.some((message) => message.senderAccountId === alice!.accountId && message.text === 'and back'),
        'bob has the answer',
      );
    } finally {
      await bob.stop();
    }
    first.close();
    second.close();
  });
});
