import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import { buildParleyBridge, createEventRouter } from '../../../src-shared/ipc/bridgeClient';
import { failure, type Result } from '../../../src-shared/ipc/result';
import { shellFrameSchema, WEB_BRIDGE_LIMITS, type CallFrame } from '../../../src-shared/ipc/webBridgeFrames';

/** What the client is told about its socket. */
export type ConnectionHandlers = { opened(): void; received(text: string): void; closed(): void };
/** One socket to the web shell, opened by `connect`; `closed` is called once, whether it ever opened or not. */
export type Connection = { send(text: string): void; close(): void };

export type SocketBridgeOptions = {
  connect: (handlers: ConnectionHandlers) => Connection;
  /** Runs `run` after `delayMs`; returns what cancels it. */
  schedule: (delayMs: number, run: () => void) => () => void;
  /** Waits before the 1st, 2nd, … reconnection attempt; the last repeats. */
  reconnectDelaysMs?: readonly number[];
  /** A frame the shell sent that is not one of shellFrameSchema (a bug, not the user's doing). */
  onBadFrame?: (reason: string) => void;
  /** An event listener threw; by default the error is rethrown on its own task, after the other listeners ran. */
  onListenerError?: (error: unknown) => void;
};

const rethrowLater = (error: unknown) =>
  queueMicrotask(() => {
    throw error;
  });

const DEFAULT_RECONNECT_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 5_000];
const encoder = new TextEncoder();

/**
 * `window.parley` over the web shell's socket, built from BRIDGE_SERVICES by the same
 * buildParleyBridge as Electron's preload: every method becomes a call frame, every event an
 * `onDidX(listener)` subscription fed by event frames.
 * Calls made before the socket opens wait for it; when a socket closes, the calls it carried
 * (and those waiting for it) resolve with `unreachable`, and the client reconnects with growing
 * delays, at once if a new call is made meanwhile. Results are the shell's Results, unchanged.
 */
export function createSocketBridge(options: SocketBridgeOptions): { bridge: ParleyBridge; close(): void } {
  const delays = options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const waiting: string[] = [];
  const router = createEventRouter(options.onListenerError ?? rethrowLater);
  let connection: Connection | undefined;
  let open = false;
  let attempts = 0;
  let cancelReconnect: (() => void) | undefined;
  let closed = false;
  let nextId = 0;

  const failPending = () => {
    const callers = [...pending.values()];
    pending.clear();
    waiting.length = 0;
    for (const resolve of callers) resolve(failure('unreachable', 'the connection to the app was lost; try again'));
  };

  const settle = (id: number, result: Result<unknown>) => {
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.(result);
  };

  const received = (text: string) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return options.onBadFrame?.('not JSON');
    }
    const parsed = shellFrameSchema.safeParse(json);
    if (!parsed.success) return options.onBadFrame?.(parsed.error.issues.map((issue) => issue.message).join('; '));
    const frame = parsed.data;
    if (frame.type === 'event') return router.dispatch(frame.service, frame.event, frame.payload);
    if (frame.type === 'result') return settle(frame.id, frame.result);
    if (frame.id === null) return options.onBadFrame?.(`the shell refused a frame: ${frame.error.message}`);
    settle(frame.id, { ok: false, error: frame.error });
  };

  const connect = () => {
    cancelReconnect?.();
    cancelReconnect = undefined;
    if (closed || connection) return;
    const current = options.connect({
      opened: () => {
        if (connection !== current) return;
        open = true;
        attempts = 0;
        for (const text of waiting.splice(0)) current.send(text);
      },
      received: (text) => {
        if (connection === current) received(text);
      },
      closed: () => {
        if (connection !== current) return;
        connection = undefined;
        open = false;
        failPending();
        if (closed) return;
        const delay = delays[Math.min(attempts, delays.length - 1)] ?? 1_000;
        attempts += 1;
        cancelReconnect = options.schedule(delay, connect);
      },
    });
    connection = current;
  };

  const call = (service: string, method: string, argument: unknown): Promise<Result<unknown>> => {
    if (closed) return Promise.resolve(failure('unreachable', 'the bridge is closed'));
    const id = nextId++;
    let text: string;
    try {
      text = JSON.stringify({ type: 'call', id, service, method, argument } satisfies CallFrame);
    } catch {
      return Promise.resolve(failure('invalid_argument', 'the argument cannot be sent (it is not plain data)'));
    }
    if (text.length > WEB_BRIDGE_LIMITS.frameMaxBytes / 3 && encoder.encode(text).byteLength > WEB_BRIDGE_LIMITS.frameMaxBytes) {
      return Promise.resolve(failure('too_long', `a call has at most ${WEB_BRIDGE_LIMITS.frameMaxBytes} bytes`));
    }
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (open && connection) connection.send(text);
      else {
        waiting.push(text);
        connect();
      }
    });
  };

  connect();
  return {
    bridge: buildParleyBridge({ call, subscribe: router.subscribe }),
    close: () => {
      closed = true;
      cancelReconnect?.();
      const current = connection;
      connection = undefined;
      open = false;
      failPending();
      current?.close();
    },
  };
}
