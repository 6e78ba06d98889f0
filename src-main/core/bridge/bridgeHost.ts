import type { ServiceName } from '../../../src-shared/ipc/bridge';
import type { Unsubscribe } from '../../../src-shared/ipc/service';
import type { BridgeImplementation } from './bridgeDispatcher';

/** One event for the renderer: `service.event(payload)`, e.g. `messaging.onDidReceive(null)`. */
export type BridgeEvent = { service: ServiceName; event: string; payload: unknown };

/**
 * What a shell (Electron's ipc.ts, the web shell's socket) needs from main to serve
 * `window.parley`: the implementation of every bridge service, hand it to a BridgeDispatcher;
 * the events to forward; and close() at quit, which stops the core and closes the vault.
 * One host serves one profile; the shell decides where the vault key comes from.
 */
export type BridgeHost = {
  readonly implementation: BridgeImplementation;
  onEvent(listener: (event: BridgeEvent) => void): Unsubscribe;
  close(): Promise<void>;
};
