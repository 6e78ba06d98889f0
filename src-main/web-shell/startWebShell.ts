import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, Logger } from '../../src-shared/domain/runtime';
import { checkServerTransport, InsecureTransportError } from '../core/api/serverTransport';
import { openBridgeHost } from '../core/host/openBridgeHost';
import { openChromiumWindow, type WindowOutcome } from './chromiumWindow';
import { bundlePageBridge } from './pageBundle';
import { describePortOwner } from './portOwner';
import { candidatePort, PORT_FILE, readRememberedPort, rememberPort } from './rememberedPort';
import { PortInUseError, WEB_SHELL_ADDRESS, WebShellServer } from './webShellServer';

/** Where `npm run build:renderer` puts the renderer. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

/** A reason the web shell cannot start, worded for the person who started it. */
export class WebShellError extends Error {
  override name = 'WebShellError';
}

export type WebShellOptions = {
  profileDir: string;
  serverUrl: string;
  /** Overrides (and replaces) the port remembered for the profile. */
  port?: number;
  /** Open a Chromium app window on the launch URL. */
  open: boolean;
  rendererDir?: string;
  /**
   * Allow http:// and ws:// to a server on another machine (--insecure). Without it such a
   * server URL stops the shell before anything is opened.
   */
  allowInsecureTransport?: boolean;
  environment: NodeJS.ProcessEnv;
  clock: Clock;
  logger: Logger;
};

export type RunningWebShell = {
  port: number;
  /** `http://127.0.0.1:N/?token=…`, good for one browser. */
  launchUrl: string;
  /** Whether a window was opened, and why not; undefined when none was asked for. */
  window: WindowOutcome | undefined;
  /** Resolves once the shell has closed: by close(), or because its window was closed after use. */
  closed: Promise<void>;
  /** Stops serving, closes the host (core stopped, vault closed) and the window. Idempotent. */
  close(): Promise<void>;
};

async function listenOnProfilePort(server: WebShellServer, options: WebShellOptions, remembered: number | undefined) {
  const wanted = options.port ?? remembered;
  if (wanted !== undefined) {
    try {
      return await server.listen(wanted);
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      const owner = describePortOwner(wanted) ?? 'another process';
      if (options.port !== undefined) {
        throw new WebShellError(`port ${wanted} on ${WEB_SHELL_ADDRESS} is taken by ${owner}; choose another with --port N`);
      }
      throw new WebShellError(
        `port ${wanted} on ${WEB_SHELL_ADDRESS}, which this profile uses (remembered in ${join(options.profileDir, PORT_FILE)}), ` +
          `is taken by ${owner}. If that is Parley on this profile, the profile is open already. Otherwise stop that ` +
          'process, or pass --port N to move the profile (the browser keeps its history per port, so it would start empty there).',
      );
    }
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await server.listen(candidatePort());
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  return server.listen(0);
}

/**
 * The web shell's composition: the bundled page bridge, the server on the profile's port, the
 * profile's BridgeHost (vault key wrapped by the account password), and optionally the window.
 * Nothing is opened on the profile until its port is held, and the port is remembered only once
 * the host has opened.
 */
export async function startWebShell(options: WebShellOptions): Promise<RunningWebShell> {
  const { logger } = options;
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  try {
    checkServerTransport(options.serverUrl, { allowInsecureTransport: options.allowInsecureTransport });
  } catch (error) {
    if (error instanceof InsecureTransportError) throw new WebShellError(error.message);
    throw error;
  }
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new WebShellError(`${join(rendererDir, 'index.html')} is missing: build the renderer first (npm run build:renderer; npm start does it for you)`);
  }
  let remembered: number | undefined;
  try {
    remembered = readRememberedPort(options.profileDir);
  } catch (error) {
    throw new WebShellError(error instanceof Error ? error.message : String(error));
  }
  const server = new WebShellServer({ rendererDir, bridgeScript: await bundlePageBridge(), logger });
  const port = await listenOnProfilePort(server, options, remembered);
  let host;
  try {
    host = await openBridgeHost({
      profileDir: options.profileDir,
      serverUrl: options.serverUrl,
      keyProtection: { kind: 'password' },
      clock: options.clock,
      logger,
      allowInsecureTransport: options.allowInsecureTransport,
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  server.serve(host);
  rememberPort(options.profileDir, port);
  logger.info('web_shell.listening', { port });

  let closing: Promise<void> | undefined;
  let window: WindowOutcome | undefined;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const close = () =>
    (closing ??= (async () => {
      try {
        await server.close();
        await host.close();
        logger.info('web_shell.host_closed', {});
      } finally {
        if (window?.opened) await window.window.close();
        logger.info('web_shell.closed', {});
        markClosed();
      }
    })());

  if (options.open) {
    window = openChromiumWindow({ url: server.launchUrl, userDataDir: join(options.profileDir, 'browser'), environment: options.environment });
    if (window.opened) {
      void window.window.exited.then((code) => {
        // Closing the window quits the app, as in Electron; a browser that exits before it ever
        // used the link has failed, and the link still works elsewhere.
        if (server.hasSession) {
          logger.info('web_shell.window_closed', {});
          void close();
        } else logger.warn('web_shell.window_exited_unused', { code });
      });
    }
  }
  return { port, launchUrl: server.launchUrl, window, closed, close };
}
