import { describe, expect, it } from 'vitest';
import { BRIDGE_SERVICES } from '../../../src-shared/ipc/bridge';
import { ok } from '../../../src-shared/ipc/result';
import { WEB_BRIDGE_LIMITS, type CallFrame, type ShellFrame } from '../../../src-shared/ipc/webBridgeFrames';
import { createSocketBridge, type Connection, type ConnectionHandlers } from './socketBridge';

const BOB = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

/** A socket the test drives: it opens, answers and drops when told. */
class FakeSocket implements Connection {
  readonly sent: CallFrame[] = [];
  closedByClient = false;
  constructor(private readonly handlers: ConnectionHandlers) {}
  send(text: string) {
    this.sent.push(JSON.parse(text) as CallFrame);
  }
  close() {
    this.closedByClient = true;
  }
  open() {
    this.handlers.opened();
  }
  push(frame: ShellFrame | string) {
    this.handlers.received(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  drop() {
    this.handlers.closed();
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { delayMs: number; run: () => void; cancelled: boolean }[] = [];
  const badFrames: string[] = [];
  const listenerErrors: unknown[] = [];
  const client = createSocketBridge({
    connect: (handlers) => {
      const socket = new FakeSocket(handlers);
      sockets.push(socket);
      return socket;
    },
    schedule: (delayMs, run) => {
      const timer = { delayMs, run, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    reconnectDelaysMs: [10, 20],
    onBadFrame: (reason) => badFrames.push(reason),
    onListenerError: (error) => listenerErrors.push(error),
  });
  const socket = () => {
    const last = sockets.at(-1);
    if (!last) throw new Error('no socket yet');
    return last;
  };
  const fireTimers = () => {
    for (const timer of timers.splice(0)) if (!timer.cancelled) timer.run();
  };
  return { ...client, sockets, socket, timers, fireTimers, badFrames, listenerErrors };
}

describe('the page-side bridge', () => {
  it('has exactly the methods and events of BRIDGE_SERVICES, read-only', () => {
    const { bridge } = setup();
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(BRIDGE_SERVICES).sort());
    for (const [service, descriptor] of Object.entries(BRIDGE_SERVICES)) {
      const client = (bridge as unknown as Record<string, Record<string, unknown>>)[service]!;
      expect(Object.keys(client).sort()).toEqual([...Object.keys(descriptor.methods), ...descriptor.events].sort());
      for (const member of Object.values(client)) expect(typeof member).toBe('function');
      expect(Object.isFrozen(client)).toBe(true);
    }
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('holds calls until the socket opens, then resolves each with its own result, in any order', async () => {
    const { bridge, socket } = setup();
    const state = bridge.account.getState({});
    const found = bridge.contacts.findByUsername({ username: 'bob' });
    expect(socket().sent).toEqual([]);
    socket().open();
    expect(socket().sent).toEqual([
      { type: 'call', id: 0, service: 'account', method: 'getState', argument: {} },
      { type: 'call', id: 1, service: 'contacts', method: 'findByUsername', argument: { username: 'bob' } },
    ]);
    socket().push({ type: 'result', id: 1, result: ok({ accountId: BOB, username: 'bob' }) });
    socket().push({ type: 'result', id: 0, result: { ok: false, error: { code: 'internal', message: 'no' } } });
    expect(await found).toEqual(ok({ accountId: BOB, username: 'bob' }));
    expect(await state).toEqual({ ok: false, error: { code: 'internal', message: 'no' } });
    const typing = bridge.messaging.sendTyping({ to: BOB, typing: true });
    expect(socket().sent.at(-1)).toMatchObject({ id: 2, service: 'messaging', method: 'sendTyping' });
    socket().push({ type: 'result', id: 2, result: ok(null) });
    expect(await typing).toEqual(ok(null));
  });

  it('hands each event to the listeners of that service and event until they unsubscribe', () => {
    const { bridge, socket, listenerErrors } = setup();
    socket().open();
    const statuses: unknown[] = [];
    const received: unknown[] = [];
    bridge.messaging.onDidChangeMessageStatus(() => {
      throw new Error('a listener that fails');
    });
    const stop = bridge.messaging.onDidChangeMessageStatus((change) => statuses.push(change));
    bridge.messaging.onDidReceive((payload) => received.push(payload));
    socket().push({ type: 'event', service: 'messaging', event: 'onDidChangeMessageStatus', payload: { messageId: 'm1', status: 'sent' } });
    socket().push({ type: 'event', service: 'messaging', event: 'onDidReceive', payload: null });
    socket().push({ type: 'event', service: 'account', event: 'onDidChangeMessageStatus', payload: 'elsewhere' });
    stop();
    socket().push({ type: 'event', service: 'messaging', event: 'onDidChangeMessageStatus', payload: { messageId: 'm2', status: 'sent' } });
    expect(statuses).toEqual([{ messageId: 'm1', status: 'sent' }]);
    expect(received).toEqual([null]);
    expect(listenerErrors).toHaveLength(2);
    expect(() => bridge.messaging.onDidReceive('not a function' as never)).toThrow(TypeError);
  });

  it('fails the calls a lost socket carried with unreachable, reconnects, and carries on', async () => {
    const { bridge, sockets, socket, timers, fireTimers } = setup();
    socket().open();
    const lost = bridge.account.getState({});
    socket().drop();
    expect(await lost).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    expect(timers.map((timer) => timer.delayMs)).toEqual([10]);

    fireTimers();
    expect(sockets).toHaveLength(2);
    socket().drop(); // the attempt fails: the next wait is longer, and stays at the last delay
    fireTimers();
    socket().drop();
    expect(timers.map((timer) => timer.delayMs)).toEqual([20]);

    // A call during the wait reconnects at once and goes out when that socket opens.
    const again = bridge.account.getState({});
    expect(sockets).toHaveLength(4);
    expect(timers[0]!.cancelled).toBe(true);
    socket().open();
    expect(socket().sent).toEqual([{ type: 'call', id: 1, service: 'account', method: 'getState', argument: {} }]);
    socket().push({ type: 'result', id: 1, result: ok({ status: 'signed_out' }) });
    expect(await again).toEqual(ok({ status: 'signed_out' }));

    // Once open again the delays start over.
    socket().drop();
    expect(timers.at(-1)!.delayMs).toBe(10);
  });

  it('fails calls queued for a socket that never opened', async () => {
    const { bridge, socket } = setup();
    const waiting = bridge.contacts.usernameOf({ accountId: BOB });
    socket().drop();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'unreachable' } });
  });

  it("fails a call the shell refused with the shell's error, and reports frames that are not the shell's", async () => {
    const { bridge, socket, badFrames } = setup();
    socket().open();
    const refused = bridge.account.getState({});
    const other = bridge.account.getState({});
    socket().push({ type: 'error', id: 0, error: { code: 'too_long', message: 'too big' } });
    socket().push({ type: 'error', id: null, error: { code: 'invalid_argument', message: 'not JSON' } });
    socket().push('{ not json');
    socket().push(JSON.stringify({ type: 'result', id: 'one', result: {} }));
    socket().push({ type: 'result', id: 99, result: ok(null) }); // no such call: ignored
    expect(await refused).toEqual({ ok: false, error: { code: 'too_long', message: 'too big' } });
    expect(badFrames).toHaveLength(3);
    socket().push({ type: 'result', id: 1, result: ok({ status: 'signed_out' }) });
    expect(await other).toEqual(ok({ status: 'signed_out' }));
  });

  it('refuses arguments it cannot send without sending anything', async () => {
    const { bridge, socket } = setup();
    socket().open();
    const huge = 'x'.repeat(WEB_BRIDGE_LIMITS.frameMaxBytes);
    expect(await bridge.messaging.sendText({ to: BOB, text: huge })).toMatchObject({ ok: false, error: { code: 'too_long' } });
    expect(await bridge.messaging.readInbox({ limit: 10n } as never)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(socket().sent).toEqual([]);
  });

  it('after close, fails what is pending, closes the socket and never reconnects', async () => {
    const { bridge, socket, close, timers, sockets } = setup();
    socket().open();
    const pending = bridge.account.getState({});
    close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    expect(socket().closedByClient).toBe(true);
    expect(await bridge.account.getState({})).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    expect(timers).toEqual([]);
    expect(sockets).toHaveLength(1);
  });
});
