import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { opaqueIdSchema } from '../../src-shared/domain/ids';
import { LIMITS } from '../../src-shared/domain/limits';
import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { WireError } from '../../src-shared/protocol/errors';
import { clientFrameSchema, type ClientFrame, type ServerFrame } from '../../src-shared/protocol/frames';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import { deviceKeyOf, type Bus, type BusSignal } from '../bus/bus';
import type { AccountsService } from '../services/accounts';
import type { DeliveryService } from '../services/delivery';
import type { AuthenticatedDevice } from '../services/deviceAuth';
import { isBelowLowWatermark, type PreKeysService } from '../services/preKeys';
import { describeError, ServiceError, toWireError } from '../services/serviceError';
import type { AbuseLimits } from '../abuseLimits';
import type { ServerMetrics } from '../metrics';
import { describeIssues } from './httpMessages';
import { isClientProtocolError } from './websocketLimits';
import { QueuePusher } from './queuePusher';

/** Close codes a client can act on. 1001 (going away) when the server shuts down; 1009 for a frame past the hard limit. */
export const CLOSE_CODES = {
  replaced: 4000,
  unsupportedVersion: 4001,
  helloTimeout: 4002,
  heartbeatMissed: 4003,
  /** The device was removed from its account; its credentials no longer work. */
  removed: 4004,
  /** The client stopped reading: more than `socketBufferedBytesMax` of output was waiting for it. */
  tooSlow: 4008,
} as const;

export type SessionTimings = { helloTimeoutMs: number; heartbeatMs: number };
export const DEFAULT_SESSION_TIMINGS: SessionTimings = { helloTimeoutMs: 30_000, heartbeatMs: 30_000 };

/** How a frame will be answered: `answer` settles, once the frame's work is done, to what sends its answer. */
type PendingAnswer = { answer: Promise<() => void> };
const NOTHING_TO_ANSWER: PendingAnswer = { answer: Promise.resolve(() => undefined) };
const answerWith = (answer: () => void): PendingAnswer => ({ answer: Promise.resolve(answer) });

/** Inbound frames not yet answered beyond this many pause reading from the socket (TCP pushes back). */
const MAX_QUEUED_FRAMES = 32;
/** …or past this many bytes of such frames: a few large sends must not pin hundreds of MiB. */
const MAX_QUEUED_BYTES = 2 * LIMITS.frameMaxBytes;

/**
 * A frame's answer is awaited only once every earlier frame is answered; until then a failure of
 * its work must not count as unhandled (Node would end the process). The failure still reaches
 * whoever awaits the returned promise.
 */
function handledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export type SessionServices = {
  accounts: AccountsService;
  limits: Pick<AbuseLimits, 'socketBufferedBytesMax'>;
  metrics: ServerMetrics;
  delivery: DeliveryService;
  preKeys: PreKeysService;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  timings: SessionTimings;
};

export type WebsocketSession = {
  /** Starts the closing handshake; `hard` drops the connection at once. */
  close(code: number, reason: string, hard?: boolean): void;
  /** Resolves when the socket has closed and every frame handler has finished. */
  settled(): Promise<void>;
};

/**
 * One authenticated device socket. Frames are taken up one at a time, in arrival order, and
 * answered in that order; a frame's answer (a `pong` too) comes only after the work of every
 * earlier frame is committed. A bad frame is answered with an `error` frame and the session
 * carries on.
 */
export function startWebsocketSession(socket: WebSocket, device: AuthenticatedDevice, services: SessionServices): WebsocketSession {
  const { accounts, delivery, preKeys, bus, clock, logger, timings, limits, metrics } = services;
  const connectionId = randomUUID();
  const deviceKey = deviceKeyOf(device.accountId, device.deviceId);
  const logFields = { accountId: device.accountId, deviceId: device.deviceId };
  let ready = false;
  let closed = false;
  // Frames are taken up one at a time in arrival order, and answered in that order too.
  let accepting: Promise<void> = Promise.resolve();
  let answers: Promise<void> = Promise.resolve();
  let queuedFrames = 0;
  let queuedBytes = 0;
  let alive = true;

  const helloTimer = setTimeout(() => close(CLOSE_CODES.helloTimeout, 'no hello'), timings.helloTimeoutMs);
  // Protocol-level pings find sockets whose peer vanished without closing.
  const heartbeat = setInterval(() => {
    if (!alive) return close(CLOSE_CODES.heartbeatMissed, 'no pong', true);
    alive = false;
    socket.ping();
  }, timings.heartbeatMs);
  helloTimer.unref();
  heartbeat.unref();

  /**
   * Every frame out goes through here. A client that stops reading makes its output wait in
   * memory; past the limit it is cut off (the queue keeps its mail, so nothing is lost).
   */
  const send = (frame: ServerFrame, flushed?: () => void) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > limits.socketBufferedBytesMax) {
      metrics.refusals.inc({ code: 'socket_buffer' });
      logger.info('socket_too_slow');
      close(CLOSE_CODES.tooSlow, 'the client is not reading', true);
      return;
    }
    socket.send(JSON.stringify(frame), flushed && (() => flushed()));
  };
  const sendError = (error: WireError, requestId?: string) =>
    send({ type: 'error', ...(requestId === undefined ? {} : { requestId }), error });

  const pusher = new QueuePusher({
    pending: (afterSeq, limit) => delivery.pending(device, afterSeq, limit),
    push: (items, flushed) => {
      metrics.envelopesDelivered.inc(items.length);
      send({ type: 'envelopes', items }, flushed);
    },
    // Well under the cut-off, so a reader that is merely slow is paused, never cut off.
    maxUnflushedBytes: Math.max(64 * 1024, Math.floor(limits.socketBufferedBytesMax / 4)),
    frameBudget: Math.max(64 * 1024, Math.floor(limits.socketBufferedBytesMax / 4)),
    drained: () => send({ type: 'queue_drained' }),
  });
  const keepPumping = (pump: Promise<void>) =>
    pump.catch((error: unknown) => logger.error('queue_push_failed', { ...logFields, error: describeError(error) }));

  async function tellIfPreKeysLow() {
    const count = await preKeys.count(device);
    if (isBelowLowWatermark(count)) send({ type: 'prekeys_low', ...count });
  }

  const unsubscribe = bus.subscribe(deviceKey, (signal: BusSignal) => {
    if (closed) return;
    if (signal.kind === 'connected' && signal.connectionId !== connectionId) {
      close(CLOSE_CODES.replaced, 'replaced by a newer connection');
    } else if (signal.kind === 'device_removed') {
      close(CLOSE_CODES.removed, 'the device was removed');
    } else if (signal.kind === 'mail') {
      keepPumping(pusher.wake());
    } else if (signal.kind === 'online_only' && ready) {
      // Outside the queue's order and window: it is never stored, so there is nothing to ack.
      metrics.envelopesDelivered.inc();
      send({ type: 'envelopes', items: [signal.envelope] });
    } else if (signal.kind === 'prekeys_low' && ready) {
      tellIfPreKeysLow().catch((error: unknown) => logger.error('prekeys_low_failed', { ...logFields, error: describeError(error) }));
    }
  });
  // Any older socket of this device, on any node, closes.
  bus.publish(deviceKey, { kind: 'connected', connectionId });

  /**
   * Takes a frame up and returns how it will be answered. A send or an ack only joins the next
   * group commit here; its answer waits for that commit, while the frames behind it are taken up
   * already, so a socket's pipelined frames share one transaction. `earlier` settles when every
   * earlier frame has been answered.
   */
  async function begin(frame: ClientFrame, earlier: Promise<void>): Promise<PendingAnswer> {
    if (frame.type === 'hello') {
      await earlier;
      if (closed) return NOTHING_TO_ANSWER;
      if (ready) return answerWith(() => sendError({ code: 'bad_request', message: 'hello was already said' }));
      if (frame.protocolVersion !== PROTOCOL_VERSION) {
        sendError({ code: 'unsupported_version', message: `this server speaks protocol version ${PROTOCOL_VERSION}` });
        close(CLOSE_CODES.unsupportedVersion, 'unsupported protocol version');
        return NOTHING_TO_ANSWER;
      }
      const count = await preKeys.count(device);
      // One read gives both: the drain mark and how many envelopes lie up to it (catch-up progress).
      const depth = await delivery.queueDepth(device);
      await accounts.recordActivity(device);
      clearTimeout(helloTimer);
      ready = true;
      send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, ...device, serverTime: clock.now(), ...count, queued: depth.envelopes });
      keepPumping(pusher.start(depth.lastSeq));
      return NOTHING_TO_ANSWER;
    }
    if (!ready) {
      const requestId = 'requestId' in frame ? frame.requestId : undefined;
      return answerWith(() => sendError({ code: 'bad_request', message: 'the first frame must be hello' }, requestId));
    }
    switch (frame.type) {
      case 'send': {
        const result = delivery.send(device, frame);
        return {
          answer: handledLater(result.then((stored) => () => {
            if (stored.outcome.ok) metrics.envelopesStored.inc(stored.destinations.length);
            send({ type: 'send_result', requestId: frame.requestId, ...stored.outcome });
            delivery.wake(stored.destinations);
            delivery.relay(stored.pushes);
          })),
        };
      }
      case 'ack': {
        const deleted = delivery.ack(device, frame.envelopeIds);
        return { answer: handledLater(deleted.then(() => () => keepPumping(pusher.acked(frame.envelopeIds)))) };
      }
      case 'ping': {
        const requestId = frame.requestId;
        return answerWith(() => send({ type: 'pong', ...(requestId === undefined ? {} : { requestId }) }));
      }
    }
  }

  function receive(data: WebSocket.RawData, isBinary: boolean) {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) return sendError({ code: 'bad_request', message: 'frames are JSON text; binary frames are refused' });
    if (bytes.length > LIMITS.frameMaxBytes) {
      return sendError({ code: 'payload_too_large', message: `a frame has at most ${LIMITS.frameMaxBytes} bytes` });
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      return sendError({ code: 'bad_request', message: 'the frame is not JSON' });
    }
    const named = typeof value === 'object' && value !== null ? opaqueIdSchema.safeParse((value as { requestId?: unknown }).requestId) : undefined;
    const requestId = named?.success ? named.data : undefined;
    const parsed = clientFrameSchema.safeParse(value);
    metrics.framesReceived.inc({ type: parsed.success ? parsed.data.type : 'invalid' });
    if (!parsed.success) return sendError({ code: 'bad_request', message: describeIssues(parsed.error.issues) }, requestId);

    const frame = parsed.data;
    // A closing or replaced socket takes no new work; an ack still spares a redelivery.
    if (closed && frame.type !== 'ack') return;
    queuedFrames++;
    queuedBytes += bytes.length;
    if (queuedFrames > MAX_QUEUED_FRAMES || queuedBytes > MAX_QUEUED_BYTES) socket.pause();
    const earlier = answers;
    // Frames that arrived before a close are still handled: an ack spares a redelivery, and a
    // send's storing is idempotent should the client retry it.
    const taken = accepting.then(() => begin(frame, earlier));
    accepting = taken.then(
      () => undefined,
      () => undefined,
    );
    answers = earlier
      .then(() => taken)
      .then((pending) => pending.answer)
      .then((answer) => answer())
      .catch((error: unknown) => {
        if (!(error instanceof ServiceError)) logger.error('frame_failed', { ...logFields, frame: frame.type, error: describeError(error) });
        else if (error.code === 'rate_limited' || error.code === 'quota_exceeded') metrics.refusals.inc({ code: error.code });
        sendError(toWireError(error), requestId);
      })
      .finally(() => {
        queuedFrames--;
        queuedBytes -= bytes.length;
        if (socket.isPaused && queuedFrames <= MAX_QUEUED_FRAMES / 2 && queuedBytes <= MAX_QUEUED_BYTES / 2) socket.resume();
      });
  }

  let resolveClosed!: () => void;
  const socketClosed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  function close(code: number, reason: string, hard = false) {
    if (!closed) {
      closed = true;
      cleanUp();
    }
    if (hard) socket.terminate();
    else if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(code, reason);
  }

  function cleanUp() {
    clearTimeout(helloTimer);
    clearInterval(heartbeat);
    unsubscribe();
    keepPumping(pusher.stop());
  }

  socket.on('message', receive);
  socket.on('pong', () => {
    alive = true;
  });
  // A client that breaks the WebSocket protocol (bad UTF-8, an oversized frame) is the client's
  // fault: one info line naming no one. Anything else is worth a warning.
  socket.on('error', (error) => {
    if (isClientProtocolError(error)) logger.info('socket_error', { error: describeError(error) });
    else logger.warn('socket_error', { ...logFields, error: describeError(error) });
  });
  socket.on('close', (code) => {
    if (!closed) {
      closed = true;
      cleanUp();
    }
    metrics.connectionsOpen.dec();
    // No account or device id at info: open and close times per account are metadata we keep from logs.
    logger.info('socket_closed', { code });
    logger.debug('socket_closed_device', logFields);
    resolveClosed();
  });
  metrics.connectionsOpen.inc();
  metrics.connectionsOpened.inc();
  logger.info('socket_opened');

  return {
    close,
    settled: async () => {
      await socketClosed;
      await answers;
      await pusher.stop();
    },
  };
}
