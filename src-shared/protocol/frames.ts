import { z } from 'zod';
import { accountIdSchema, base64, deviceIdSchema, opaqueIdSchema, registrationIdSchema } from '../domain/ids';
import { LIMITS } from '../domain/limits';
import { wireErrorSchema } from './errors';

/**
 * WebSocket frames: JSON text frames, tagged unions on `type`. One socket per device, opened on
 * HTTP_ROUTES.websocket with the device's Basic credentials. The client speaks first (`hello`);
 * the server answers `ready`, then pushes the device's queue in order.
 */

/** A time in ms since the epoch that a JavaScript Date can hold. */
const timestamp = z.number().int().nonnegative().max(LIMITS.timestampMax);

/** libsignal ciphertext kinds the server relays: 2 = Whisper (session exists), 3 = PreKey (session start). */
export const ciphertextTypeSchema = z.union([z.literal(2), z.literal(3)]);

/** One ciphertext for one device, as the sender hands it to the server. */
export const outgoingEnvelopeSchema = z.object({
  accountId: accountIdSchema,
  deviceId: deviceIdSchema,
  /** The registration id the sender's session believes the device has; a mismatch is `stale_devices`. */
  registrationId: registrationIdSchema,
  ciphertextType: ciphertextTypeSchema,
  body: base64(LIMITS.envelopeBodyMaxBytes),
});
export type OutgoingEnvelope = z.infer<typeof outgoingEnvelopeSchema>;

/** One ciphertext as the server delivers it. `id` is unique per envelope; ack it by id. */
export const envelopeSchema = z.object({
  id: opaqueIdSchema,
  sourceAccountId: accountIdSchema,
  sourceDeviceId: deviceIdSchema,
  ciphertextType: ciphertextTypeSchema,
  body: base64(LIMITS.envelopeBodyMaxBytes),
  /** When the server stored it (ms since epoch). */
  serverTimestamp: timestamp,
  /** When the sender says it sent it (ms since epoch). */
  clientTimestamp: timestamp,
  /**
   * Sent online-only (see the send frame): pushed once to a connected device, never stored, so
   * there is nothing to ack and it never comes again. Absent on stored envelopes.
   */
  onlineOnly: z.literal(true).optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

// ── client → server ──────────────────────────────────────────────────────────

export const helloFrameSchema = z.object({
  type: z.literal('hello'),
  protocolVersion: z.number().int().positive(),
});

/**
 * A message to one account. `envelopes` must cover every device of `to` and every other device
 * of the sender, and nothing else; otherwise the send fails with `mismatched_devices` or
 * `stale_devices` and nothing is stored. Idempotent by (sending device, `idempotencyKey`) for a
 * day (the server keeps send records no longer): a repeat within it returns the first answer and
 * stores nothing new. A send that would fill a recipient device's queue past its quota fails
 * whole with `quota_exceeded`. The `send_result` comes only after every envelope is committed to
 * storage.
 */
export const sendFrameSchema = z.object({
  type: z.literal('send'),
  requestId: opaqueIdSchema,
  idempotencyKey: opaqueIdSchema,
  to: accountIdSchema,
  timestamp,
  envelopes: z.array(outgoingEnvelopeSchema).min(1).max(LIMITS.devicesPerAccount * 2),
  /**
   * Online-only (typing indicators): the server pushes each envelope to its device only if that
   * device is connected now, and stores nothing (no queue row, nothing to ack, no later
   * delivery). The envelopes must name only devices of `to`, but need not cover all of them nor
   * the sender's other devices. `send_result` then comes once the pushes are handed on.
   * Absent means false. A server that predates the field treats the send as an ordinary one.
   */
  onlineOnly: z.boolean().optional(),
  /**
   * For one device of `to` only (C4's secret chats, which live on two devices): exactly one
   * envelope, for a current device of another account, stored and delivered as usual but not
   * covering the recipient's other devices nor the sender's. Absent means false.
   */
  oneDevice: z.boolean().optional(),
});

/** Envelopes the device has durably processed; the server deletes them. Idempotent. */
export const ackFrameSchema = z.object({
  type: z.literal('ack'),
  envelopeIds: z.array(opaqueIdSchema).min(1).max(LIMITS.ackBatchMax),
});

export const pingFrameSchema = z.object({ type: z.literal('ping'), requestId: opaqueIdSchema.optional() });

export const clientFrameSchema = z.discriminatedUnion('type', [
  helloFrameSchema,
  sendFrameSchema,
  ackFrameSchema,
  pingFrameSchema,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type SendFrame = z.infer<typeof sendFrameSchema>;
export type AckFrame = z.infer<typeof ackFrameSchema>;

// ── server → client ──────────────────────────────────────────────────────────

export const readyFrameSchema = z.object({
  type: z.literal('ready'),
  protocolVersion: z.number().int().positive(),
  accountId: accountIdSchema,
  deviceId: deviceIdSchema,
  serverTime: timestamp,
  preKeys: z.number().int().min(0),
  kyberPreKeys: z.number().int().min(0),
  /**
   * How many envelopes were queued for this device when the socket opened: the pushes up to
   * `queue_drained` bring these (fewer if some expire meanwhile), so a client can show catch-up
   * progress. Absent from servers that predate it.
   */
  queued: z.number().int().min(0).optional(),
});

/**
 * Queued envelopes, oldest first. Across frames and reconnects the order is the order the
 * server stored them in; an unacked envelope is sent again after a reconnect, never twice on
 * one connection. At most LIMITS.deliveryWindow are unacked at once. Online-only envelopes
 * (`onlineOnly: true`) come in frames of their own, whenever they arrive, outside that order and
 * window.
 */
export const envelopesFrameSchema = z.object({
  type: z.literal('envelopes'),
  items: z.array(envelopeSchema).min(1).max(LIMITS.deliveryWindow),
});

/** Everything queued when the socket opened has been pushed (it may still await acks). */
export const queueDrainedFrameSchema = z.object({ type: z.literal('queue_drained') });

export const sendResultFrameSchema = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('send_result'),
    requestId: opaqueIdSchema,
    ok: z.literal(true),
    serverTimestamp: timestamp,
  }),
  z.object({ type: z.literal('send_result'), requestId: opaqueIdSchema, ok: z.literal(false), error: wireErrorSchema }),
]);

/** The device's one-time prekeys ran low (below LIMITS.preKeyLowWatermark): upload more. */
export const preKeysLowFrameSchema = z.object({
  type: z.literal('prekeys_low'),
  preKeys: z.number().int().min(0),
  kyberPreKeys: z.number().int().min(0),
});

/** A frame the server could not accept; `requestId` names it when it had one. The socket stays open. */
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  requestId: opaqueIdSchema.optional(),
  error: wireErrorSchema,
});

export const pongFrameSchema = z.object({ type: z.literal('pong'), requestId: opaqueIdSchema.optional() });

export const serverFrameSchema = z.union([
  readyFrameSchema,
  envelopesFrameSchema,
  queueDrainedFrameSchema,
  sendResultFrameSchema,
  preKeysLowFrameSchema,
  errorFrameSchema,
  pongFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type ReadyFrame = z.infer<typeof readyFrameSchema>;
export type EnvelopesFrame = z.infer<typeof envelopesFrameSchema>;
export type SendResultFrame = z.infer<typeof sendResultFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;
