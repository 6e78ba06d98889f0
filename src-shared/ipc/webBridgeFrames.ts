// zod/mini: the page's bridge is a classic script that blocks the page's first paint, and this
// file and result.ts are all of zod it needs; the full build would put ~400 KB in front of it.
import * as z from 'zod/mini';
import { ipcErrorCodeSchema } from './result';

/**
 * The web shell's local socket: `window.parley` carried between the page and the web shell's Node
 * process as JSON text frames on one WebSocket (`WEB_BRIDGE_PATH`, same origin as the page).
 * Tagged unions on `type`. The page asks (`call`), the shell answers each call exactly once
 * (`result`, or `error` when the frame itself was refused) and pushes events (`event`) in the
 * order the host emitted them. Answers may come in any order: match them by `id`.
 * Only the web shell and its page speak this; the Electron shell uses IPC instead.
 */

/** Where the page opens the socket, on the page's own origin. */
export const WEB_BRIDGE_PATH = '/bridge';

export const WEB_BRIDGE_LIMITS = {
  /**
   * Bytes of one frame from the page. A larger one is answered with a `too_long` error and the
   * socket carries on. The largest calls are a picked avatar (10 MB, base64) and a contacts file.
   */
  frameMaxBytes: 15 * 1024 * 1024,
  /** Above this the socket itself is closed (1009): the shell never buffers more than this of one frame. */
  socketPayloadMaxBytes: 16 * 1024 * 1024,
} as const;

/** A call's id, chosen by the page, unique among its calls in flight on one socket. */
export const callIdSchema = z.number().check(z.int(), z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));

const nameSchema = z.string().check(z.minLength(1), z.maxLength(100));

/** `window.parley[service][method](argument)`. The shell runs it through the BridgeDispatcher, which checks the names and the argument. */
export const callFrameSchema = z.strictObject({
  type: z.literal('call'),
  id: callIdSchema,
  service: nameSchema,
  method: nameSchema,
  argument: z.unknown(),
});
export type CallFrame = z.infer<typeof callFrameSchema>;

/** Everything the page may send. */
export const pageFrameSchema = z.discriminatedUnion('type', [callFrameSchema]);
export type PageFrame = z.infer<typeof pageFrameSchema>;

export const ipcErrorSchema = z.object({ code: ipcErrorCodeSchema, message: z.string().check(z.maxLength(10_000)) });

/** The `Result` of a bridge call (src-shared/ipc/result.ts); the value is the method's result type. */
export const ipcResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ipcErrorSchema }),
]);

/** The answer to the call with this `id`: what the dispatcher returned, unchanged. */
export const resultFrameSchema = z.object({ type: z.literal('result'), id: callIdSchema, result: ipcResultSchema });
export type ResultFrame = z.infer<typeof resultFrameSchema>;

/** One event from main, `parley[service][event](payload)` for every listener. */
export const eventFrameSchema = z.object({ type: z.literal('event'), service: nameSchema, event: nameSchema, payload: z.unknown() });
export type EventFrame = z.infer<typeof eventFrameSchema>;

/**
 * A frame from the page that the shell refused before running anything: not JSON, too large
 * (`too_long`), or not a frame of `pageFrameSchema` (`invalid_argument`, naming what was wrong).
 * `id` is the call's id when it could be read (the page fails that call with this error), else
 * null. The socket stays open and other calls go on.
 */
export const errorFrameSchema = z.object({ type: z.literal('error'), id: z.nullable(callIdSchema), error: ipcErrorSchema });
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

/** Everything the shell may send. */
export const shellFrameSchema = z.discriminatedUnion('type', [resultFrameSchema, eventFrameSchema, errorFrameSchema]);
export type ShellFrame = z.infer<typeof shellFrameSchema>;
