/**
 * The only two IPC channels between the preload and main. Every bridge call travels on
 * `parley:call` as `{ service, method, argument }` (ipcRenderer.invoke → ipcMain.handle) and
 * resolves with main's Result; every bridge event comes back on `parley:event` as
 * `{ service, event, payload }`. A new call is a new entry in BRIDGE_SERVICES, never a new channel.
 */
export const PARLEY_CALL_CHANNEL = 'parley:call';
export const PARLEY_EVENT_CHANNEL = 'parley:event';

export type BridgeCallRequest = { service: string; method: string; argument: unknown };
