import { z } from 'zod';
import { base64, registrationIdSchema } from '../domain/ids';
import { LIMITS } from '../domain/limits';
import { deviceDetailsSchema, deviceNameSchema } from '../domain/devices';

const keyId = z.number().int().min(1).max(0xff_ff_ff);
/** Serialized libsignal public keys: EC keys are 33 bytes, Kyber-1024 keys 1569. */
const ecPublicKey = base64(64);
const kemPublicKey = base64(2048);
const signature = base64(128);

/** A one-time EC prekey: consumed by the first sender that fetches it. */
export const preKeySchema = z.object({ keyId, publicKey: ecPublicKey });
/** The device's current signed EC prekey, signed by the account identity key. */
export const signedPreKeySchema = z.object({ keyId, publicKey: ecPublicKey, signature });
/** A signed Kyber prekey: one-time, or the device's last-resort key used when none is left. */
export const kyberPreKeySchema = z.object({ keyId, publicKey: kemPublicKey, signature });

export type PreKey = z.infer<typeof preKeySchema>;
export type SignedPreKey = z.infer<typeof signedPreKeySchema>;
export type KyberPreKey = z.infer<typeof kyberPreKeySchema>;

/**
 * What a device publishes when it is registered. `secret` is the device's own random credential
 * (the server keeps only its hash); with the device id it authenticates every later request.
 */
export const deviceKeysSchema = z.object({
  name: deviceNameSchema,
  /** Platform, OS and app version for Active sessions (A9); a device registered without them lists as `other`. */
  details: deviceDetailsSchema.optional(),
  registrationId: registrationIdSchema,
  secret: base64(64).min(43),
  identityKey: ecPublicKey,
  signedPreKey: signedPreKeySchema,
  kyberLastResortPreKey: kyberPreKeySchema,
  preKeys: z.array(preKeySchema).max(LIMITS.preKeysPerUpload),
  kyberPreKeys: z.array(kyberPreKeySchema).max(LIMITS.preKeysPerUpload),
});
export type DeviceKeys = z.infer<typeof deviceKeysSchema>;

/** A refill or rotation; every part optional, at least one present. */
export const uploadPreKeysRequestSchema = z
  .object({
    preKeys: z.array(preKeySchema).max(LIMITS.preKeysPerUpload).optional(),
    kyberPreKeys: z.array(kyberPreKeySchema).max(LIMITS.preKeysPerUpload).optional(),
    signedPreKey: signedPreKeySchema.optional(),
    kyberLastResortPreKey: kyberPreKeySchema.optional(),
  })
  .refine((body) => Object.values(body).some((part) => part !== undefined), 'nothing to upload');
export type UploadPreKeysRequest = z.infer<typeof uploadPreKeysRequestSchema>;

/** How many unused one-time prekeys the server still holds for the calling device. */
export const preKeyCountSchema = z.object({
  preKeys: z.number().int().min(0),
  kyberPreKeys: z.number().int().min(0),
});
export type PreKeyCount = z.infer<typeof preKeyCountSchema>;

/**
 * Everything a sender needs to start a session with each device of an account. Fetching it
 * consumes one one-time EC prekey and one one-time Kyber prekey per device (the Kyber
 * last-resort key is returned when no one-time key is left; an EC one-time key may be absent).
 */
export const preKeyBundleSchema = z.object({
  accountId: z.uuid(),
  identityKey: ecPublicKey,
  devices: z
    .array(
      z.object({
        deviceId: z.number().int().min(1).max(127),
        registrationId: registrationIdSchema,
        signedPreKey: signedPreKeySchema,
        preKey: preKeySchema.optional(),
        kyberPreKey: kyberPreKeySchema,
      }),
    )
    .max(LIMITS.devicesPerAccount),
});
export type PreKeyBundle = z.infer<typeof preKeyBundleSchema>;
