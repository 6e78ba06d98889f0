import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../../src-shared/domain/runtime';
import type { IpcError, Result } from '../../src-shared/ipc/result';
import { callIdSchema, pageFrameSchema, WEB_BRIDGE_LIMITS, type ShellFrame } from '../../src-shared/ipc/webBridgeFrames';
import type { BridgeDispatcher } from '../core/bridge/bridgeDispatcher';

const byteLength = (data: RawData) =>
  Array.isArray(data) ? data.reduce((total, part) => total + part.byteLength, 0) : data.byteLength;

const asText = (data: RawData) => (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');

/** The id of a frame that failed validation, when it has a readable one, so the page can fail that call. */
function readableId(frame: unknown): number | null {
  if (typeof frame !== 'object' || frame === null || !('id' in frame)) return null;
  const id = callIdSchema.safeParse(frame.id);
  return id.success ? id.data : null;
}

/** Sends a frame if the socket is still open; a value JSON cannot carry becomes an `internal` failure. */
export function sendFrame(socket: WebSocket, frame: ShellFrame, logger: Logger) {
  if (socket.readyState !== socket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch {
    logger.error('web_shell.unserializable_frame', { type: frame.type });
    if (frame.type !== 'result') return;
    text = JSON.stringify({
      type: 'result',
      id: frame.id,
      result: { ok: false, error: { code: 'internal', message: 'the answer could not be sent to the page' } },
    } satisfies ShellFrame);
  }
  socket.send(text);
}

/**
 * Serves bridge calls on one page socket: every frame is checked against `pageFrameSchema`;
 * a refused frame gets an `error` frame naming what was wrong, and the socket and the calls
 * already running carry on. Valid calls go through the dispatcher (the one chokepoint) and are
 * answered as they finish, each by its id. Nothing of a frame's content is logged.
 */
export function serveBridgeSocket(socket: WebSocket, dispatcher: BridgeDispatcher, logger: Logger) {
  const refuse = (id: number | null, error: IpcError) => {
    logger.warn('web_shell.frame_refused', { code: error.code });
    sendFrame(socket, { type: 'error', id, error }, logger);
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) return refuse(null, { code: 'invalid_argument', message: 'frames are JSON text, not binary' });
    if (byteLength(data) > WEB_BRIDGE_LIMITS.frameMaxBytes) {
      return refuse(null, { code: 'too_long', message: `a frame has at most ${WEB_BRIDGE_LIMITS.frameMaxBytes} bytes` });
    }
    let json: unknown;
    try {
      json = JSON.parse(asText(data));
    } catch {
      return refuse(null, { code: 'invalid_argument', message: 'a frame is one JSON object' });
    }
    const parsed = pageFrameSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; ');
      return refuse(readableId(json), { code: 'invalid_argument', message: where });
    }
    const { id, service, method, argument } = parsed.data;
    void dispatcher.call(service, method, argument).then(
      (result: Result<unknown>) => sendFrame(socket, { type: 'result', id, result }, logger),
      () => sendFrame(socket, { type: 'result', id, result: { ok: false, error: { code: 'internal', message: 'the call failed' } } }, logger),
    );
  });
}
