import type { ParleyBridge, ServiceName } from './bridge';
import { BRIDGE_SHAPE } from './bridgeShape';
import type { Result } from './result';
import type { Unsubscribe } from './service';

/** Receives one event's payload. */
export type EventListener = (payload: unknown) => void;

/**
 * How one shell carries the bridge: Electron's preload over IPC, the web shell's page over its
 * socket. `call` resolves with main's Result and never rejects for an expected failure;
 * `subscribe` registers a listener for `service.event` and returns what removes it.
 */
export type BridgeTransport = {
  call(service: ServiceName, method: string, argument: unknown): Promise<Result<unknown>>;
  subscribe(service: ServiceName, event: string, listener: EventListener): Unsubscribe;
};

/**
 * `window.parley` built from the services' names alone (BRIDGE_SHAPE, checked against BRIDGE_SERVICES), so every shell exposes exactly the same shape:
 * each method of each service becomes `method(argument) → transport.call(service, method, argument)`,
 * each event name `onDidX(listener) → transport.subscribe(service, 'onDidX', listener)`. A listener
 * that is not a function is refused with a TypeError at once (it would otherwise fail only when the
 * event fires). The result and its service objects are frozen.
 */
export function buildParleyBridge(transport: BridgeTransport): ParleyBridge {
  const bridge: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [service, shape] of Object.entries(BRIDGE_SHAPE) as [ServiceName, (typeof BRIDGE_SHAPE)[ServiceName]][]) {
    const client: Record<string, unknown> = {};
    for (const method of shape.methods) {
      client[method] = (argument: unknown) => transport.call(service, method, argument);
    }
    for (const event of shape.events as readonly string[]) {
      client[event] = (listener: unknown) => {
        if (typeof listener !== 'function') throw new TypeError(`${service}.${event} takes a listener function`);
        return transport.subscribe(service, event, listener as EventListener);
      };
    }
    bridge[service] = Object.freeze(client);
  }
  return Object.freeze(bridge) as unknown as ParleyBridge;
}

/** The listeners of every `service.event`, for a transport that receives events on one channel. */
export type EventRouter = {
  /** Each call is its own subscription, even with a listener already subscribed; its Unsubscribe is idempotent. */
  subscribe(service: string, event: string, listener: EventListener): Unsubscribe;
  /** Calls the listeners of `service.event` subscribed when it starts, in subscription order. */
  dispatch(service: string, event: string, payload: unknown): void;
};

/**
 * One failing listener must not keep an event from the others: what a listener throws goes to
 * `onListenerError` (a shell typically rethrows it on its own task, so it still surfaces).
 */
export function createEventRouter(onListenerError: (error: unknown) => void): EventRouter {
  const listeners = new Map<string, Set<{ listener: EventListener }>>();
  const keyOf = (service: string, event: string) => `${service}\u0000${event}`;
  return {
    subscribe(service, event, listener) {
      const key = keyOf(service, event);
      const entries = listeners.get(key) ?? new Set();
      listeners.set(key, entries);
      const entry = { listener };
      entries.add(entry);
      return () => {
        entries.delete(entry);
        if (entries.size === 0 && listeners.get(key) === entries) listeners.delete(key);
      };
    },
    dispatch(service, event, payload) {
      const entries = listeners.get(keyOf(service, event));
      if (!entries) return;
      for (const { listener } of [...entries]) {
        try {
          listener(payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
  };
}
