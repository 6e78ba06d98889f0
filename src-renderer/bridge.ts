import { BRIDGE_SERVICES, type ParleyBridge } from '../src-shared/ipc/bridge';
import type { Result } from '../src-shared/ipc/result';

/**
 * The one file that touches `window.parley` (CONVENTIONS habit 2). The Electron preload and the
 * web shell's page script both define it before this bundle runs, so there is nothing to wait
 * for: it is there, or the app shows why it cannot start.
 */

declare global {
  interface Window {
    parley?: unknown;
  }
}

export type BridgeLookup = { ok: true; bridge: ParleyBridge } | { ok: false; missing: string[] };

/**
 * Reads `window.parley` and checks that every method and event of the contract is there. What
 * is returned wraps each method so that a call that throws (a socket gone, a bug in a shell)
 * still resolves with a Result, as the contract promises, instead of rejecting into the UI.
 */
export function readWindowBridge(source: Window = window): BridgeLookup {
  return wrapBridge(source.parley);
}

/** Checks an object against BRIDGE_SERVICES and wraps it; used for window.parley and in tests. */
export function wrapBridge(candidate: unknown): BridgeLookup {
  const missing = missingMembers(candidate);
  if (missing.length > 0) return { ok: false, missing };
  const raw = candidate as Record<string, Record<string, (...values: unknown[]) => unknown>>;
  const wrapped: Record<string, Record<string, unknown>> = {};
  for (const [serviceName, descriptor] of Object.entries(BRIDGE_SERVICES)) {
    const service = raw[serviceName] as Record<string, (...values: unknown[]) => unknown>;
    const client: Record<string, unknown> = {};
    for (const method of Object.keys(descriptor.methods)) {
      client[method] = (argument: unknown) => callSafely(() => service[method]?.(argument));
    }
    for (const event of descriptor.events) {
      client[event] = (listener: (payload: unknown) => void) => {
        const unsubscribe = service[event]?.(listener);
        return typeof unsubscribe === 'function' ? unsubscribe : () => undefined;
      };
    }
    wrapped[serviceName] = client;
  }
  return { ok: true, bridge: wrapped as unknown as ParleyBridge };
}

function missingMembers(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return ['window.parley'];
  const missing: string[] = [];
  for (const [serviceName, descriptor] of Object.entries(BRIDGE_SERVICES)) {
    const service = (candidate as Record<string, unknown>)[serviceName];
    if (typeof service !== 'object' || service === null) {
      missing.push(serviceName);
      continue;
    }
    for (const member of [...Object.keys(descriptor.methods), ...descriptor.events]) {
      if (typeof (service as Record<string, unknown>)[member] !== 'function') missing.push(`${serviceName}.${member}`);
    }
  }
  return missing;
}

async function callSafely(call: () => unknown): Promise<Result<unknown>> {
  try {
    const result = await call();
    if (isResult(result)) return result;
    return { ok: false, error: { code: 'internal', message: 'the bridge answered with something that is not a Result' } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'unreachable', message } };
  }
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}
