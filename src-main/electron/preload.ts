import { contextBridge, ipcRenderer } from 'electron';
import { exposeParley } from './preloadBridge';

/**
 * The preload: the one place ipcRenderer and contextBridge are touched. It runs sandboxed in the
 * window's isolated world, bundled into one file (a sandboxed preload can require only
 * `electron`), and gives the page `window.parley` and nothing else.
 */
exposeParley({
  contextBridge,
  ipcRenderer,
  // Rethrown on its own task, so it reaches the console and the page's error handlers.
  onListenerError: (error) =>
    queueMicrotask(() => {
      throw error;
    }),
  onBadEvent: (reason) => console.error(`parley bridge: ${reason}`),
});
