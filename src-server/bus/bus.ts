import type { Envelope } from '../../src-shared/protocol/frames';

/**
 * What one part of the server tells the sessions of one device, wherever that device's socket
 * lives. A signal is a wake-up: the database is the truth, so a lost or repeated signal costs at
 * most a query, never a message. The one exception, `online_only`, carries an envelope that was
 * never stored: lost, it is gone, which is what its sender asked for.
 */
export type BusSignal =
  /** The device's queue has new envelopes. */
  | { kind: 'mail' }
  /** An online-only envelope (a typing indicator): the device's open socket pushes it; without one it is dropped. */
  | { kind: 'online_only'; envelope: Envelope }
  /** The device's one-time prekeys fell below the low watermark; its session re-counts and tells it. */
  | { kind: 'prekeys_low' }
  /** A new socket of the device opened; every older socket of that device closes. */
  | { kind: 'connected'; connectionId: string }
  /** The device was removed from its account: its sockets close (its credentials already fail). */
  | { kind: 'device_removed' }
  /** A provisioning address (keyed `provisioningKeyOf`) now holds its sealed blob: the new device waiting on it collects it. */
  | { kind: 'provisioned' };

export type BusListener = (signal: BusSignal) => void;

/**
 * The seam between gateway nodes. In-process by default; a NATS adapter carries the same signals
 * between nodes that share one PostgreSQL. `deviceKey` is `deviceKeyOf(accountId, deviceId)`.
 */
export type Bus = {
  /** Without a signal, publishes `{ kind: 'mail' }`. Never throws, never blocks on listeners. */
  publish(deviceKey: string, signal?: BusSignal): void;
  /** Returns the unsubscribe function. */
  subscribe(deviceKey: string, listener: BusListener): () => void;
  close(): Promise<void>;
};

export function deviceKeyOf(accountId: string, deviceId: number): string {
  return `${accountId}.${deviceId}`;
}

/** The bus key of a provisioning address (never a device key: those hold a dot). */
export function provisioningKeyOf(address: string): string {
  return `provisioning:${address}`;
}
