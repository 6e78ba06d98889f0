import type { Logger } from '../../src-shared/domain/runtime';
import type { Bus, BusListener, BusSignal } from './bus';

/** The single-node bus: a map from device key to the listeners of that device's sockets. */
export function createInProcessBus(logger: Logger): Bus {
  const listeners = new Map<string, Set<BusListener>>();
  let closed = false;

  return {
    publish(deviceKey, signal: BusSignal = { kind: 'mail' }) {
      const subscribers = listeners.get(deviceKey);
      if (closed || !subscribers) return;
      // Delivered on a later tick so a publisher (mid-transaction bookkeeping, mid-send) never
      // runs listener code re-entrantly, and one failing listener cannot hurt another.
      for (const listener of [...subscribers]) {
        queueMicrotask(() => {
          try {
            listener(signal);
          } catch (error) {
            logger.error('bus_listener_failed', { signal: signal.kind, error: String(error) });
          }
        });
      }
    },
    subscribe(deviceKey, listener) {
      let subscribers = listeners.get(deviceKey);
      if (!subscribers) {
        subscribers = new Set();
        listeners.set(deviceKey, subscribers);
      }
      subscribers.add(listener);
      return () => {
        const current = listeners.get(deviceKey);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) listeners.delete(deviceKey);
      };
    },
    async close() {
      closed = true;
      listeners.clear();
    },
  };
}
