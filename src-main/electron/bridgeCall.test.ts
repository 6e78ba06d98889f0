import { describe, expect, it } from 'vitest';
import { BRIDGE_SERVICES } from '../../src-shared/ipc/bridge';
import { ok } from '../../src-shared/ipc/result';
import { BridgeDispatcher, type BridgeImplementation } from '../core/bridge/bridgeDispatcher';
import { streamLogger } from '../core/util/streamLogger';
import { handleBridgeCall, isTrustedSender, type CallSender } from './bridgeCall';

const APP_WINDOW = 7;
const appPage: CallSender = { webContentsId: APP_WINDOW, frame: { url: 'parley://app/index.html', isMainFrame: true } };

/** Every method of every service answers with what it was given (after the dispatcher parsed it). */
function setup() {
  const ran: string[] = [];
  const logs: string[] = [];
  const implementation = Object.fromEntries(
    Object.entries(BRIDGE_SERVICES).map(([service, descriptor]) => [
      service,
      Object.fromEntries(
        Object.keys(descriptor.methods).map((method) => [
          method,
          async (argument: unknown) => {
            ran.push(`${service}.${method}`);
            return ok({ argument });
          },
        ]),
      ),
    ]),
  ) as unknown as BridgeImplementation;
  const logger = streamLogger('debug', (line) => logs.push(line));
  const dispatcher = new BridgeDispatcher(implementation, logger);
  const call = (request: unknown, sender: CallSender = appPage, appWebContentsId: number | undefined = APP_WINDOW) =>
    handleBridgeCall({ dispatcher, logger, sender, appWebContentsId, request });
  return { call, ran, logs };
}

describe('isTrustedSender', () => {
  it("trusts only the app window's main frame showing our page", () => {
    expect(isTrustedSender(appPage, APP_WINDOW)).toBe(true);
    expect(isTrustedSender(appPage, undefined)).toBe(false);
    expect(isTrustedSender({ ...appPage, webContentsId: 8 }, APP_WINDOW)).toBe(false);
    expect(isTrustedSender({ webContentsId: APP_WINDOW, frame: null }, APP_WINDOW)).toBe(false);
    expect(isTrustedSender({ webContentsId: APP_WINDOW, frame: { url: 'parley://app/index.html', isMainFrame: false } }, APP_WINDOW)).toBe(false);
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'parley://other/index.html', 'about:blank', 'devtools://devtools/']) {
      expect(isTrustedSender({ webContentsId: APP_WINDOW, frame: { url, isMainFrame: true } }, APP_WINDOW), url).toBe(false);
    }
  });
});

describe('handleBridgeCall', () => {
  it('runs a well-formed call from our page through the dispatcher', async () => {
    const { call, ran } = setup();
    expect(await call({ service: 'contacts', method: 'findByUsername', argument: { username: '@Bob' } })).toEqual(ok({ argument: { username: 'bob' } }));
    expect(ran).toEqual(['contacts.findByUsername']);
  });

  it('refuses a call from anywhere else without running anything, and logs no address', async () => {
    const { call, ran, logs } = setup();
    const sender: CallSender = { webContentsId: APP_WINDOW, frame: { url: 'https://evil.example/secret-path', isMainFrame: true } };
    const result = await call({ service: 'account', method: 'historyKey', argument: {} }, sender);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(ran).toEqual([]);
    expect(logs.join('')).toContain('ipc.untrusted_sender');
    expect(logs.join('')).not.toContain('evil.example');
  });

  it('refuses a request that is not { service, method, argument }', async () => {
    const { call, ran } = setup();
    for (const request of [null, 'account.getState', { service: 'account' }, { service: 1, method: 'getState' }, { service: 'account', method: 'getState', argument: {}, extra: 1 }]) {
      expect(await call(request), JSON.stringify(request)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
    expect(ran).toEqual([]);
  });

  it("leaves unknown services, methods and bad arguments to the dispatcher's checks", async () => {
    const { call, ran } = setup();
    expect(await call({ service: 'vault', method: 'dump', argument: {} })).toMatchObject({ ok: false, error: { message: 'no such service' } });
    expect(await call({ service: 'account', method: 'register', argument: { username: 'x' } })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(ran).toEqual([]);
  });
});
