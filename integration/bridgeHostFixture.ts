import { randomBytes } from 'node:crypto';
import { BridgeDispatcher } from '../src-main/core/bridge/bridgeDispatcher';
import type { BridgeHost } from '../src-main/core/bridge/bridgeHost';
import { open, seal } from '../src-main/core/crypto/aead';
import { openBridgeHost, type Keychain, type VaultKeyProtection } from '../src-main/core/host/openBridgeHost';
import { streamLogger } from '../src-main/core/util/streamLogger';
import type { InboxItem } from '../src-shared/domain/messages';
import { BRIDGE_SERVICES, type ParleyBridge } from '../src-shared/ipc/bridge';
import type { Result } from '../src-shared/ipc/result';
import type { Unsubscribe } from '../src-shared/ipc/service';

export const quietLogger = () => streamLogger(process.env.PARLEY_TEST_LOG === '1' ? 'debug' : 'silent', (line) => process.stderr.write(line));

/** A stand-in for Electron's safeStorage: AES-GCM under a key only this object holds. */
export function testKeychain(): Keychain {
  const key = randomBytes(32);
  const context = Buffer.from('test keychain');
  return { encrypt: (plain) => seal(key, plain, context), decrypt: (sealed) => open(key, sealed, context) };
}

/**
 * `window.parley` as the renderer would see it, built from BRIDGE_SERVICES the way the preload
 * and the web shell's page bridge are, with every call going through a BridgeDispatcher.
 */
export function bridgeOf(host: BridgeHost): ParleyBridge {
  const dispatcher = new BridgeDispatcher(host.implementation, quietLogger());
  const bridge: Record<string, Record<string, unknown>> = {};
  for (const [service, descriptor] of Object.entries(BRIDGE_SERVICES)) {
    const client: Record<string, unknown> = {};
    for (const method of Object.keys(descriptor.methods)) client[method] = (argument: unknown) => dispatcher.call(service, method, argument);
    for (const event of descriptor.events) {
      client[event] = (listener: (payload: unknown) => void): Unsubscribe =>
        host.onEvent((emitted) => {
          if (emitted.service === service && emitted.event === event) listener(emitted.payload);
        });
    }
    bridge[service] = client;
  }
  return bridge as unknown as ParleyBridge;
}

/** One profile's host and the bridge over it. */
export type HostUnderTest = { host: BridgeHost; bridge: ParleyBridge; profileDir: string };

export async function openHost(profileDir: string, serverUrl: string, keyProtection: VaultKeyProtection = { kind: 'password' }): Promise<HostUnderTest> {
  const host = await openBridgeHost({ profileDir, serverUrl, keyProtection, clock: { now: () => Date.now() }, logger: quietLogger() });
  return { host, bridge: bridgeOf(host), profileDir };
}

/** The value of a Result that must be ok (the error's code and message otherwise). */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The next event payload that matches, from a `bridge.service.onDidX` subscriber. */
export function nextEvent<T>(subscribe: (listener: (payload: T) => void) => Unsubscribe, matches: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const stop = subscribe((payload) => {
      if (!matches(payload)) return;
      stop();
      resolve(payload);
    });
  });
}

/**
 * Reads the inbox, as the renderer does on `onDidReceive`, until an item matches; confirms
 * everything read. Subscribes before the first read, so an item arriving in between is not missed.
 */
export async function inboxItem(bridge: ParleyBridge, matches: (item: InboxItem) => boolean): Promise<InboxItem> {
  let wake: () => void = () => undefined;
  const stop = bridge.messaging.onDidReceive(() => wake());
  try {
    for (;;) {
      const received = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const items = valueOf(await bridge.messaging.readInbox({ limit: 1_000 }));
      valueOf(await bridge.messaging.confirmInbox({ inboxIds: items.map((item) => item.inboxId) }));
      const found = items.find(matches);
      if (found) return found;
      await received;
    }
  } finally {
    stop();
  }
}
