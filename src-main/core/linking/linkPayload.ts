import { z } from 'zod';
import { accountIdSchema, base64 } from '../../../src-shared/domain/ids';
import { linkedDirectorySchema } from '../../../src-shared/domain/linkedDirectory';
import { BLOCKED_MAX, preferenceRegisterSchema } from '../../../src-shared/domain/preferences';
import { linkTokenSchema } from '../../../src-shared/protocol/linking';
import { archiveKeySchema } from '../archive/archiveKey';

/**
 * What an existing device hands a new one, sealed to the link code's key: the account, its
 * identity key pair (every device of an account shares it), and the one-time token that lets the
 * new device register, the archive key, the contacts and chat list, and the synced settings. The messages follow through the archive.
 */
export const linkPayloadSchema = z
  .object({
    v: z.literal(1),
    accountId: accountIdSchema,
    username: z.string().min(1).max(64),
    identityKeyPair: base64(256),
    /** The account archive key: the new device reads the history the others archived (C5). */
    archiveKey: archiveKeySchema,
    linkToken: linkTokenSchema,
    /** The account's contacts and chat list (C5), as the linking device's app knows them. */
    directory: linkedDirectorySchema.optional(),
    /** The settings that follow me to my devices (B3's block list, F3), as the linking device holds them. */
    preferences: z.array(preferenceRegisterSchema).max(BLOCKED_MAX + 10).optional(),
  })
  .strict();
export type LinkPayload = z.infer<typeof linkPayloadSchema>;
