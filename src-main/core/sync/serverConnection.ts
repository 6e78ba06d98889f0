import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Logger } from '../../../src-shared/domain/runtime';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { Envelope, ClientFrame, ReadyFrame, SendFrame, SendResultFrame } from '../../../src-shared/protocol/frames';
import { serverFrameSchema } from '../../../src-shared/protocol/frames';
import { errorBodySchema, type ErrorCode } from '../../../src-shared/protocol/errors';
import { HTTP_ROUTES } from '../../../src-shared/protocol/http';
import { PROTOCOL_VERSION } from '../../../src-shared/protocol/version';
import { deviceAuthorization, type DeviceCredentials } from '../api/serverApi';
import { checkServerTransport } from '../api/serverTransport';
import { Emitter } from '../util/emitter';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import { parseJsonOrUndefined } from '../util/parseJsonOrUndefined';

/** The server's WebSocket: wss:// for an https:// server, ws:// for http://. */
function socketUrl(serverUrl: string): URL {
  const url = new URL(HTTP_ROUTES.websocket, serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class ConnectionLostError extends Error {
  constructor() {
    super('the connection to the server was lost before it answered');
    this.name = 'ConnectionLostError';
  }
}

export type ServerConnectionOptions = {
  serverUrl: string;
  credentials: DeviceCredentials;
  logger: Logger;
  random?: () => number;
  backoff?: { initialMs: number; maxMs: number };
  /** How long a request may wait for its answer before it counts as lost. */
  requestTimeoutMs?: number;
  /**
   * Silence after which the server counts as gone (it pings every 30 s): the socket is dropped
   * and a new one opened, so a vanished network is noticed without waiting for TCP.
   */
  silenceTimeoutMs?: number;
  /** Allow ws:// to a host other than this machine (`--insecure`); see TransportOptions. */
  allowInsecureTransport?: boolean;
};

type Pending = { resolve: (frame: SendResultFrame) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * The device's one WebSocket to the server. It reconnects by itself with back-off and jitter,
 * says `hello` on every new socket, validates every frame it receives, and matches answers to
 * requests by id. A request in flight when the socket drops is rejected with ConnectionLostError;
 * callers resend it (sends are idempotent on the server).
 */
export class ServerConnection {
  readonly onReady = new Emitter<ReadyFrame>();
  readonly onEnvelopes = new Emitter<Envelope[]>();
  readonly onQueueDrained = new Emitter<void>();
  readonly onPreKeysLow = new Emitter<{ preKeys: number; kyberPreKeys: number }>();
  readonly onStateChange = new Emitter<ConnectionState>();
  /** The server says this device is no longer on its account (terminated from another device, A9); the connection has stopped. */
  readonly onSessionEnded = new Emitter<void>();
  /** The connection cannot work and has stopped (credentials refused, protocol too old): why, for a person. */
  readonly onFatal = new Emitter<string>();

  private socket: WebSocket | undefined;
  private state: ConnectionState = 'closed';
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly pending = new Map<string, Pending>();

  /** Throws InsecureTransportError for ws:// to another machine unless `allowInsecureTransport`. */
  constructor(private readonly options: ServerConnectionOptions) {
    checkServerTransport(socketUrl(options.serverUrl), options);
  }

  get isOpen() {
    return this.state === 'open';
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'client stopping');
        setTimeout(() => {
          socket.terminate();
          resolve();
        }, 2_000).unref();
      });
    }
    this.setState('closed');
    this.failPending();
  }

  /** Drops the current socket and connects again (after the usual back-off). */
  reconnect() {
    this.socket?.terminate();
  }

  /** Sends a frame if the socket is open; false otherwise (the caller retries after `onReady`). */
  sendFrame(frame: ClientFrame): boolean {
    if (!this.socket || this.state !== 'open') return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Sends a `send` frame and waits for its `send_result`. */
  request(frame: Omit<SendFrame, 'requestId'>): Promise<SendResultFrame> {
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new ConnectionLostError());
        // A server that holds an answer this long is not well: start over on a new socket.
        this.options.logger.warn('connection.request_timed_out');
        this.reconnect();
      }, this.options.requestTimeoutMs ?? 30_000);
      this.pending.set(requestId, { resolve, reject, timer });
      if (!this.sendFrame({ ...frame, requestId })) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(new ConnectionLostError());
      }
    });
  }

  /** Where the connection stands now ('closed' before start and after stop). */
  get currentState(): ConnectionState {
    return this.state;
  }

  private setState(state: ConnectionState) {
    if (this.state === state) return;
    this.state = state;
    this.onStateChange.emit(state);
  }

  private connect() {
    if (this.stopped) return;
    this.setState('connecting');
    const socket = new WebSocket(socketUrl(this.options.serverUrl), {
      headers: { authorization: deviceAuthorization(this.options.credentials) },
      maxPayload: LIMITS.frameMaxBytes,
      handshakeTimeout: 10_000,
      // A redirect would move the credentials to another URL; the server never sends one.
      followRedirects: false,
    });
    this.socket = socket;
    const heardFromServer = () => {
      clearTimeout(this.silenceTimer);
      this.silenceTimer = setTimeout(() => {
        this.options.logger.warn('connection.server_silent');
        socket.terminate();
      }, this.options.silenceTimeoutMs ?? 75_000);
      this.silenceTimer.unref();
    };
    socket.on('open', () => {
      heardFromServer();
      socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
    });
    socket.on('ping', heardFromServer);
    socket.on('message', (data, isBinary) => {
      heardFromServer();
      if (isBinary) return this.options.logger.warn('connection.binary_frame_ignored');
      this.handleFrame(data.toString());
    });
    socket.on('unexpected-response', (_request, response) => {
      if (response.statusCode !== 401 && response.statusCode !== 403) {
        response.resume();
        return socket.terminate();
      }
      // Refused credentials stop the connection for good; the body says whether the account
      // ended this device's session (A9) or the credentials are simply wrong.
      this.stopped = true;
      void readRefusalCode(response).then((code) => {
        socket.terminate();
        this.options.logger.error('connection.authentication_failed', { status: response.statusCode, code });
        if (code === 'session_ended') this.onSessionEnded.emit();
        else this.onFatal.emit("the server no longer accepts this device's credentials");
      });
    });
    socket.on('error', (error) => this.options.logger.debug('connection.error', { message: error.message }));
    socket.on('close', () => {
      clearTimeout(this.silenceTimer);
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.setState('closed');
      this.failPending();
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect() {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, {
      ...DEFAULT_BACKOFF,
      ...this.options.backoff,
      random: this.options.random ?? Math.random,
    });
    this.attempt += 1;
    this.options.logger.debug('connection.reconnect_scheduled', { delayMs: delay, attempt: this.attempt });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private failPending() {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new ConnectionLostError());
      this.pending.delete(id);
    }
  }

  private handleFrame(text: string) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.options.logger.warn('connection.invalid_frame', { reason: 'not JSON' });
    }
    const parsed = serverFrameSchema.safeParse(json);
    if (!parsed.success) return this.options.logger.warn('connection.invalid_frame', { reason: 'schema' });
    const frame = parsed.data;
    switch (frame.type) {
      case 'ready':
        this.options.logger.debug('connection.ready', { preKeys: frame.preKeys });
        this.attempt = 0;
        this.setState('open');
        this.onReady.emit(frame);
        return;
      case 'envelopes':
        return this.onEnvelopes.emit(frame.items);
      case 'queue_drained':
        return this.onQueueDrained.emit();
      case 'prekeys_low':
        return this.onPreKeysLow.emit({ preKeys: frame.preKeys, kyberPreKeys: frame.kyberPreKeys });
      case 'send_result': {
        const pending = this.pending.get(frame.requestId);
        if (!pending) return;
        this.pending.delete(frame.requestId);
        clearTimeout(pending.timer);
        return pending.resolve(frame);
      }
      case 'error': {
        this.options.logger.warn('connection.server_error', { code: frame.error.code, requestId: frame.requestId });
        if (frame.error.code === 'unsupported_version') {
          this.stopped = true;
          this.onFatal.emit('this version of Parley is too old for the server: update the app');
        }
        // A refused request is answered here: its sender must not wait for a result that never comes.
        const pending = frame.requestId === undefined ? undefined : this.pending.get(frame.requestId);
        if (!pending || frame.requestId === undefined) return;
        this.pending.delete(frame.requestId);
        clearTimeout(pending.timer);
        return pending.resolve({ type: 'send_result', requestId: frame.requestId, ok: false, error: frame.error });
      }
      case 'pong':
        return;
    }
  }
}

/** The error code of a refused upgrade's body (at most 4 KB read, a second waited), or undefined. */
function readRefusalCode(response: IncomingMessage): Promise<ErrorCode | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      response.removeAllListeners('data');
      const parsed = errorBodySchema.safeParse(parseJsonOrUndefined(text));
      resolve(parsed.success ? parsed.data.error.code : undefined);
    };
    const timer = setTimeout(done, 1_000);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 4_096) response.destroy();
    });
    response.once('end', done);
    response.once('close', done);
    response.once('error', done);
  });
}
