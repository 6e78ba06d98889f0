import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_BRIDGE_PATH } from '../src-shared/ipc/webBridgeFrames';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { makeRendererFixture, PageSocket, redeem, WebShellProcess } from './webShellFixture';
import { sendAndReset, sendRaw, statusOf, upgradeRequest, type ResetMoment } from './rawSocket';

/** Nothing listens here: the shell only contacts its server at register, which no test here does. */
const UNUSED_SERVER = 'http://127.0.0.1:9';

describe('the web shell process under refused, reset and malformed upgrades', () => {
  const directories = new TemporaryDirectories();
  let shell: WebShellProcess;
  let launchUrl: string;
  let port: number;

  beforeAll(async () => {
    const started = await WebShellProcess.start([
      '--profile',
      directories.make('web-shell-reset'),
      '--server',
      UNUSED_SERVER,
      '--no-open',
      '--renderer',
      makeRendererFixture(directories),
    ]);
    if (!started.launchUrl) throw new Error(`the web shell did not start: ${started.process.stderr.join('\n')}`);
    shell = started.process;
    launchUrl = started.launchUrl;
    port = Number(new URL(launchUrl).port);
  });
  afterAll(async () => {
    await shell?.stop();
    directories.removeAll();
  });

  /** `answer`, or a failure naming the shell's last words if it exits first. */
  const whileAlive = <T>(answer: Promise<T>): Promise<T> =>
    Promise.race([
      answer,
      shell.exited.then((code) => {
        throw new Error(`the web shell exited (${code}): ${shell.stderr.slice(-5).join('\n')}`);
      }),
    ]);

  const stillRunning = async () => {
    const exit = await Promise.race([shell.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 50))]);
    return exit === 'running';
  };

  it('lives through clients that reset mid-refusal, upgrades to //%zz and friends, and its bridge client keeps working', async () => {
    const host = { Host: `127.0.0.1:${port}` };
    const origin = `http://127.0.0.1:${port}`;
    const cookie = await redeem(launchUrl);
    const page = await PageSocket.open(port, { ...host, Origin: origin, Cookie: cookie });
    expect(await page.call(1, 'account', 'getState', {})).toMatchObject({ result: { ok: true, value: { status: 'signed_out' } } });

    const refusedUpgrades = [
      upgradeRequest('/not-the-bridge', { ...host, Origin: origin, Cookie: cookie }),
      upgradeRequest(WEB_BRIDGE_PATH, { ...host, Origin: origin }),
      upgradeRequest(WEB_BRIDGE_PATH, { ...host, Origin: origin, Cookie: `parley-session-${port}=forged` }),
      upgradeRequest('//%zz', { ...host, Origin: origin, Cookie: cookie }),
    ];
    const moments: ResetMoment[] = ['at once', 'next tick', 'at the first answer byte'];
    let call = 2;
    for (let round = 0; round < 15; round++) {
      await whileAlive(Promise.all(refusedUpgrades.flatMap((request) => moments.map((moment) => sendAndReset(port, request, moment)))));
      // The page's socket carries on between the attacks, answering each call.
      expect(await whileAlive(page.call(call, 'account', 'getState', {}))).toMatchObject({ id: call, result: { ok: true } });
      call += 1;
    }

    // Read to the end, each refusal is a plain 403 (or 400 for what is not HTTP at all), never a crash.
    const malformed: [string, string | Buffer][] = [
      ['an upgrade to //%zz', upgradeRequest('//%zz', { ...host, Origin: origin, Cookie: cookie })],
      ['an upgrade to /%', upgradeRequest('/%', { ...host, Origin: origin, Cookie: cookie })],
      ['an upgrade to the bridge with a query', upgradeRequest(`${WEB_BRIDGE_PATH}?%zz`, { ...host, Origin: origin, Cookie: cookie })],
      ['an upgrade to an absolute URL', upgradeRequest('http://%zz/', { ...host, Origin: origin, Cookie: cookie })],
      ['an upgrade with a malformed cookie', upgradeRequest(WEB_BRIDGE_PATH, { ...host, Origin: origin, Cookie: '=;;=%zz; parley-session=%' })],
      ['an upgrade with an Origin that is no URL', upgradeRequest(WEB_BRIDGE_PATH, { ...host, Origin: '//%zz', Cookie: cookie })],
      ['an upgrade without a Host', upgradeRequest(WEB_BRIDGE_PATH, { Origin: origin, Cookie: cookie })],
      ['a bad WebSocket key', upgradeRequest(WEB_BRIDGE_PATH, { ...host, Origin: origin, Cookie: cookie }).replace('dGhlIHNhbXBsZSBub25jZQ==', '%zz')],
      ['a GET of //%zz', `GET //%zz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`],
      ['a GET of /?token=%zz', `GET /?token=%zz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`],
      ['not HTTP at all', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a])],
    ];
    for (const [why, request] of malformed) {
      const answer = await whileAlive(sendRaw(port, request));
      expect([400, 403, 404], why).toContain(statusOf(answer.bytes));
      expect(answer.ended, why).not.toBe('timeout');
    }

    expect(await stillRunning()).toBe(true);
    expect(await page.call(call, 'account', 'getState', {})).toMatchObject({ id: call, result: { ok: true, value: { status: 'signed_out' } } });
    // A second page opens as before.
    const second = await PageSocket.open(port, { ...host, Origin: origin, Cookie: cookie });
    expect(await second.call(1, 'account', 'getState', {})).toMatchObject({ result: { ok: true } });
    second.close();
    page.close();
    expect(shell.stderr.some((line) => line.includes('"web_shell.socket_refused"'))).toBe(true);
  });
});
