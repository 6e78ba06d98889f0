import { WEB_BRIDGE_PATH } from '../../../src-shared/ipc/webBridgeFrames';
import { createSocketBridge, type Connection, type ConnectionHandlers } from './socketBridge';

/**
 * The web shell's "preload": a classic script that index.html loads before the renderer's
 * bundle. It defines `window.parley` (read-only) over a WebSocket to the page's own origin; the
 * session cookie the browser already holds is what lets the socket (and every reconnection) in.
 */
function connect(handlers: ConnectionHandlers): Connection {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WEB_BRIDGE_PATH}`);
  socket.addEventListener('open', () => handlers.opened());
  socket.addEventListener('message', (event: MessageEvent) => {
    if (typeof event.data === 'string') handlers.received(event.data);
  });
  socket.addEventListener('close', () => handlers.closed());
  return { send: (text) => socket.send(text), close: () => socket.close() };
}

const { bridge } = createSocketBridge({
  connect,
  schedule: (delayMs, run) => {
    const timer = setTimeout(run, delayMs);
    return () => clearTimeout(timer);
  },
  onBadFrame: (reason) => console.error(`parley bridge: ${reason}`),
});

Object.defineProperty(window, 'parley', { value: bridge, enumerable: true, configurable: false, writable: false });
