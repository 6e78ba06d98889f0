import type { ParleyBridge } from '../../src-shared/ipc/bridge';
import { buildParleyBridge, createEventRouter } from '../../src-shared/ipc/bridgeClient';
import { failure, type Result } from '../../src-shared/ipc/result';
import { PARLEY_CALL_CHANNEL, PARLEY_EVENT_CHANNEL, type BridgeCallRequest } from './ipcChannels';

/** The part of Electron's ipcRenderer the preload uses (tests pass a double). */
export type IpcRendererLike = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

/** The part of Electron's contextBridge the preload uses. */
export type ContextBridgeLike = { exposeInMainWorld(apiKey: string, api: unknown): void };

export type PreloadBridgeOptions = {
  ipcRenderer: IpcRendererLike;
  /** A listener in the page threw; the others still got the event. */
  onListenerError: (error: unknown) => void;
  /** Main sent something on the event channel that is not `{ service, event, payload }` (a bug). */
  onBadEvent: (reason: string) => void;
};

const isResult = (value: unknown): value is Result<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

/** structuredClone's refusal, as Chromium words it ("An object could not be cloned."). */
const isCloneError = (error: unknown) => error instanceof Error && /could not be cloned/i.test(error.message);

/**
 * `window.parley` over Electron IPC, built from BRIDGE_SERVICES by the same buildParleyBridge as
 * the web shell's page, so the two are the same shape. Calls resolve with main's Result and never
 * reject: an argument IPC cannot carry is `invalid_argument`, a failure of IPC itself `internal`.
 * Events arrive on one channel and are routed to the page's listeners.
 */
export function createPreloadBridge(options: PreloadBridgeOptions): ParleyBridge {
  const { ipcRenderer } = options;
  const router = createEventRouter(options.onListenerError);
  ipcRenderer.on(PARLEY_EVENT_CHANNEL, (_event, message) => {
    if (typeof message !== 'object' || message === null) return options.onBadEvent('an event that is not an object');
    const { service, event, payload } = message as { service?: unknown; event?: unknown; payload?: unknown };
    if (typeof service !== 'string' || typeof event !== 'string') return options.onBadEvent('an event without service and event names');
    router.dispatch(service, event, payload);
  });

  const call = async (service: string, method: string, argument: unknown): Promise<Result<unknown>> => {
    let answer: unknown;
    try {
      answer = await ipcRenderer.invoke(PARLEY_CALL_CHANNEL, { service, method, argument } satisfies BridgeCallRequest);
    } catch (error) {
      if (isCloneError(error)) return failure('invalid_argument', 'the argument cannot be sent (it is not plain data)');
      return failure('internal', 'the app could not complete the call; try again');
    }
    return isResult(answer) ? answer : failure('internal', 'the app answered with something that is not a result');
  };

  return buildParleyBridge({ call, subscribe: router.subscribe });
}

/** Defines `window.parley` in the page's world; the preload's own world keeps ipcRenderer to itself. */
export function exposeParley(options: PreloadBridgeOptions & { contextBridge: ContextBridgeLike }): void {
  options.contextBridge.exposeInMainWorld('parley', createPreloadBridge(options));
}
