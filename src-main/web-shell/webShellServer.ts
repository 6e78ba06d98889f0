import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../src-shared/domain/runtime';
import { WEB_BRIDGE_LIMITS, WEB_BRIDGE_PATH } from '../../src-shared/ipc/webBridgeFrames';
import { BridgeDispatcher } from '../core/bridge/bridgeDispatcher';
import type { BridgeHost } from '../core/bridge/bridgeHost';
import { sendFrame, serveBridgeSocket } from './bridgeSocket';
import { BRIDGE_SCRIPT_PATH, RendererFiles } from './rendererFiles';
import { IMMUTABLE_ASSET, securityHeaders } from './securityHeaders';
import { SessionGate } from './sessionGate';

/** The web shell listens on the loopback address only. */
export const WEB_SHELL_ADDRESS = '127.0.0.1';

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on ${WEB_SHELL_ADDRESS} is in use`);
    this.name = 'PortInUseError';
  }
}

export type WebShellServerOptions = {
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** The page-side bridge, bundled (see pageBundle.ts). */
  bridgeScript: string;
  logger: Logger;
  /** Randomness for the token and session ids (tests pin it). */
  random?: (bytes: number) => Buffer;
};

type Listening = { port: number; origin: string; gate: SessionGate };

/**
 * The web shell's HTTP and WebSocket server on 127.0.0.1: the renderer's files and the bridge
 * script for the browser that redeemed the one-time token, and `window.parley`'s socket for
 * that browser's pages on this exact origin. `listen` first (so a taken port fails before the
 * profile is opened), then `serve` the host; until then every request gets 503.
 */
export class WebShellServer {
  private readonly http: Server;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: WEB_BRIDGE_LIMITS.socketPayloadMaxBytes });
  private readonly files: RendererFiles;
  private listening: Listening | undefined;
  private dispatcher: BridgeDispatcher | undefined;
  private stopEvents: (() => void) | undefined;
  private sessionStarted = false;

  constructor(private readonly options: WebShellServerOptions) {
    this.files = new RendererFiles(options.rendererDir);
    this.http = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        options.logger.error('web_shell.request_failed', {});
        try {
          if (!response.headersSent) this.answer(response, request, 500, 'something went wrong');
          else response.destroy();
        } catch {
          response.destroy();
        }
      });
    });
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  /** Binds 127.0.0.1:`port` (0 picks one). Throws PortInUseError when it is taken. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
      this.http.once('error', failed);
      this.http.listen({ port, host: WEB_SHELL_ADDRESS, exclusive: true }, () => {
        this.http.off('error', failed);
        // From now on an error of the listening socket (EMFILE under a flood of connections, say)
        // is logged: unhandled it would end the process and free the port for anyone to take.
        this.http.on('error', (error: NodeJS.ErrnoException) => this.options.logger.error('web_shell.server_error', { code: error.code }));
        resolve();
      });
    });
    const address = this.http.address();
    if (typeof address !== 'object' || !address) throw new Error('the web shell has no address');
    const origin = `http://${WEB_SHELL_ADDRESS}:${address.port}`;
    this.listening = { port: address.port, origin, gate: new SessionGate(address.port, this.options.random) };
    return address.port;
  }

  /** Starts answering: calls go to `host` through a BridgeDispatcher, its events go to every page. */
  serve(host: BridgeHost) {
    this.dispatcher = new BridgeDispatcher(host.implementation, this.options.logger);
    this.stopEvents = host.onEvent((event) => {
      for (const socket of this.sockets.clients) sendFrame(socket, { type: 'event', ...event }, this.options.logger);
    });
  }

  /** `http://127.0.0.1:N/?token=…`: the one URL that lets a browser in, once. */
  get launchUrl(): string {
    const { origin, gate } = this.required();
    return `${origin}/?token=${gate.token}`;
  }

  get origin(): string {
    return this.required().origin;
  }

  /** Whether a browser has redeemed the token. */
  get hasSession(): boolean {
    return this.sessionStarted;
  }

  /** Closes every page socket and stops listening; the host is the caller's to close. */
  async close(): Promise<void> {
    this.stopEvents?.();
    for (const socket of this.sockets.clients) socket.close(1001, 'the web shell is closing');
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private required(): Listening {
    if (!this.listening) throw new Error('the web shell is not listening yet');
    return this.listening;
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const { port, gate } = this.required();
    // A foreign Host is a page reached by DNS rebinding: it gets nothing, not even the files.
    if (request.headers.host !== `${WEB_SHELL_ADDRESS}:${port}`) return this.answer(response, request, 421, 'wrong host');
    if (!this.dispatcher) return this.answer(response, request, 503, 'starting');
    if (request.method !== 'GET' && request.method !== 'HEAD') return this.answer(response, request, 405, 'method not allowed');
    const url = request.url ?? '';
    const queryStart = url.indexOf('?');
    const path = queryStart >= 0 ? url.slice(0, queryStart) : url;
    const token = queryStart >= 0 ? new URLSearchParams(url.slice(queryStart + 1)).get('token') : null;
    const admitted = gate.admits(request.headers.cookie);

    if (token !== null && path === '/') {
      if (admitted) return this.redirectHome(response);
      const session = gate.redeem(token);
      if (!session) {
        this.options.logger.warn('web_shell.token_refused', {});
        return this.answer(response, request, 403, 'This link has been used already or is not valid. Start Parley again for a new one.');
      }
      this.sessionStarted = true;
      this.options.logger.info('web_shell.session_started', {});
      return this.redirectHome(response, gate.cookieFor(session));
    }
    if (!admitted) {
      return this.answer(response, request, 401, 'Open the link the web shell printed (PARLEY_URL=…) to use Parley here.');
    }
    if (path === BRIDGE_SCRIPT_PATH) {
      return this.answer(response, request, 200, this.options.bridgeScript, 'text/javascript; charset=utf-8');
    }
    const file = await this.files.read(path);
    // Browsers ask for an icon the renderer may not have; "none" is not an error worth a console line.
    if (file.status === 404 && path === '/favicon.ico') return this.answer(response, request, 204, '');
    if (file.status !== 200) return this.answer(response, request, file.status, file.reason);
    this.answer(response, request, 200, file.body, file.contentType, IMMUTABLE_ASSET.test(path) ? 'immutable' : 'none');
  }

  private redirectHome(response: ServerResponse, cookie?: string) {
    const headers: Record<string, string> = { ...securityHeaders(this.origin), Location: '/' };
    if (cookie) headers['Set-Cookie'] = cookie;
    response.writeHead(303, headers).end();
  }

  private answer(
    response: ServerResponse,
    request: IncomingMessage,
    status: number,
    body: string | Buffer,
    contentType = 'text/plain; charset=utf-8',
    cache: 'none' | 'immutable' = 'none',
  ) {
    const origin = this.listening?.origin ?? `http://${WEB_SHELL_ADDRESS}`;
    response.writeHead(status, {
      ...securityHeaders(origin, cache),
      'Content-Type': contentType,
      'Content-Length': String(Buffer.byteLength(body)),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  /**
   * The bridge socket: only on WEB_BRIDGE_PATH, with the session cookie, from a page of this exact
   * origin. Node hands an upgrade's socket over without an `error` listener, so one is attached
   * first: a client that resets the connection mid-refusal must not take the process down (and
   * with it the port, for any local user to take). Nothing here parses the client's values; they
   * are compared whole, and anything unexpected in between ends only this socket.
   */
  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', () => this.options.logger.debug('web_shell.upgrade_socket_error', {}));
    const refused = (reason: string) => {
      this.options.logger.warn('web_shell.socket_refused', { reason });
      if (socket.writable) socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
      else socket.destroy();
    };
    try {
      const listening = this.listening;
      const dispatcher = this.dispatcher;
      if (!listening || !dispatcher) return refused('starting');
      if (request.url !== WEB_BRIDGE_PATH) return refused('path');
      if (request.headers.host !== `${WEB_SHELL_ADDRESS}:${listening.port}`) return refused('host');
      if (request.headers.origin !== listening.origin) return refused('origin');
      if (!listening.gate.admits(request.headers.cookie)) return refused('session');
      this.sockets.handleUpgrade(request, socket, head, (webSocket: WebSocket) => {
        this.options.logger.info('web_shell.page_connected', {});
        webSocket.on('error', () => this.options.logger.warn('web_shell.socket_error', {}));
        serveBridgeSocket(webSocket, dispatcher, this.options.logger);
      });
    } catch {
      this.options.logger.error('web_shell.upgrade_failed', {});
      socket.destroy();
    }
  }
}
