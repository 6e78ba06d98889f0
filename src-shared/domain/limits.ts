/** Limits shared by client and server. The server enforces them; the client checks them first. */
export const LIMITS = {
  usernameMinLength: 3,
  usernameMaxLength: 32,
  passwordMinLength: 8,
  passwordMaxLength: 256,
  deviceNameMaxLength: 64,
  /** Characters of a device's OS version or app version (Active sessions, A9). */
  deviceDetailMaxLength: 32,
  /** One-time prekeys (EC or Kyber) a single upload may carry. */
  preKeysPerUpload: 200,
  /** Below this many one-time prekeys the server tells the device to refill. */
  preKeyLowWatermark: 20,
  /** Devices one account may have. */
  devicesPerAccount: 16,
  /** Ciphertext bytes per device envelope (base64 decoded). */
  envelopeBodyMaxBytes: 256 * 1024,
  /** Text characters of one message. */
  textMaxLength: 65_536,
  /**
   * Bytes of one message's encoded end-to-end content before encryption. Keeps every ciphertext
   * well under envelopeBodyMaxBytes, and a send to the most devices under frameMaxBytes.
   */
  contentMaxBytes: 128 * 1024,
  /** Latest time accepted in a timestamp (ms since epoch): the largest a JavaScript Date can hold. */
  timestampMax: 8_640_000_000_000_000,
  /** Envelopes the server pushes before it waits for acks. */
  deliveryWindow: 500,
  /** Envelope ids one ack frame may carry. */
  ackBatchMax: 1_000,
  /** Bytes of one WebSocket frame or HTTP body. */
  frameMaxBytes: 8 * 1024 * 1024,
  /** Default time the server keeps an unacked envelope: 4 weeks. */
  defaultRetentionMs: 28 * 24 * 60 * 60 * 1000,
} as const;
