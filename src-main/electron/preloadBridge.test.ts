import { describe, expect, it } from 'vitest';
import { BRIDGE_SERVICES } from '../../src-shared/ipc/bridge';
import { ok } from '../../src-shared/ipc/result';
import { PARLEY_CALL_CHANNEL, PARLEY_EVENT_CHANNEL } from './ipcChannels';
import { exposeParley, type IpcRendererLike } from './preloadBridge';

/** An ipcRenderer double: records invokes, answers with `answer`, and lets the test emit events from "main". */
class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  answer: (request: unknown) => Promise<unknown> = async () => ok(null);

  invoke(channel: string, ...args: unknown[]) {
    this.invoked.push({ channel, args });
    return this.answer(args[0]);
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  emit(channel: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: 'main' }, ...args);
  }
}

function setup() {
  const ipcRenderer = new FakeIpcRenderer();
  const exposed: { key: string; api: unknown }[] = [];
  const listenerErrors: unknown[] = [];
  const badEvents: string[] = [];
  exposeParley({
    ipcRenderer,
    contextBridge: { exposeInMainWorld: (key, api) => exposed.push({ key, api }) },
    onListenerError: (error) => listenerErrors.push(error),
    onBadEvent: (reason) => badEvents.push(reason),
  });
  expect(exposed).toHaveLength(1);
  type Api = Record<string, Record<string, (argument: unknown) => unknown>>;
  return { ipcRenderer, key: exposed[0]!.key, parley: exposed[0]!.api as Api, listenerErrors, badEvents };
}

describe('the preload', () => {
  it('exposes window.parley with every service, method and event of BRIDGE_SERVICES, and listens on one channel', () => {
    const { key, parley, ipcRenderer } = setup();
    expect(key).toBe('parley');
    expect(Object.keys(parley).sort()).toEqual(Object.keys(BRIDGE_SERVICES).sort());
    for (const [service, descriptor] of Object.entries(BRIDGE_SERVICES)) {
      expect(Object.keys(parley[service]!).sort()).toEqual([...Object.keys(descriptor.methods), ...descriptor.events].sort());
    }
    expect([...ipcRenderer.listeners.keys()]).toEqual([PARLEY_EVENT_CHANNEL]);
  });

  it('sends each call as { service, method, argument } on parley:call and resolves with main’s Result', async () => {
    const { parley, ipcRenderer } = setup();
    ipcRenderer.answer = async (request) => ok({ echoed: request });
    const argument = { to: '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b', text: 'hi' };
    const result = await parley.messaging!.sendText!(argument);
    expect(ipcRenderer.invoked).toEqual([{ channel: PARLEY_CALL_CHANNEL, args: [{ service: 'messaging', method: 'sendText', argument }] }]);
    expect(result).toEqual(ok({ echoed: { service: 'messaging', method: 'sendText', argument } }));
  });

  it('turns an argument IPC cannot clone into invalid_argument and any other IPC failure into internal, never a rejection', async () => {
    const { parley, ipcRenderer } = setup();
    ipcRenderer.answer = () => Promise.reject(new Error('An object could not be cloned.'));
    await expect(parley.account!.getState!({ callback: () => 1 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    ipcRenderer.answer = () => Promise.reject(new Error("Error invoking remote method 'parley:call': boom"));
    await expect(parley.account!.getState!({})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    ipcRenderer.answer = async () => 'not a result';
    await expect(parley.account!.getState!({})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('routes parley:event messages to the listeners of that service and event until they unsubscribe', () => {
    const { parley, ipcRenderer } = setup();
    const states: unknown[] = [];
    const statuses: unknown[] = [];
    const stop = parley.account!.onDidChangeState!((state: unknown) => states.push(state)) as () => void;
    parley.messaging!.onDidChangeMessageStatus!((status: unknown) => statuses.push(status));
    ipcRenderer.emit(PARLEY_EVENT_CHANNEL, { service: 'account', event: 'onDidChangeState', payload: { status: 'signed_out' } });
    stop();
    ipcRenderer.emit(PARLEY_EVENT_CHANNEL, { service: 'account', event: 'onDidChangeState', payload: { status: 'locked', username: 'ada' } });
    expect(states).toEqual([{ status: 'signed_out' }]);
    expect(statuses).toEqual([]);
  });

  it('reports a malformed event and a throwing listener without losing the event for the others', () => {
    const { parley, ipcRenderer, listenerErrors, badEvents } = setup();
    const seen: unknown[] = [];
    const boom = new Error('page listener failed');
    parley.account!.onDidChangeState!(() => {
      throw boom;
    });
    parley.account!.onDidChangeState!((state: unknown) => seen.push(state));
    ipcRenderer.emit(PARLEY_EVENT_CHANNEL, 'garbage');
    ipcRenderer.emit(PARLEY_EVENT_CHANNEL, { service: 'account' });
    ipcRenderer.emit(PARLEY_EVENT_CHANNEL, { service: 'account', event: 'onDidChangeState', payload: 1 });
    expect(badEvents).toHaveLength(2);
    expect(listenerErrors).toEqual([boom]);
    expect(seen).toEqual([1]);
  });
});
