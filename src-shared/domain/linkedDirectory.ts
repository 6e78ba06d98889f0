import { z } from 'zod';
import { accountIdSchema, usernameSchema } from './ids';

/** At most this many contacts, and this many chats, travel in a link (the most recent chats first). */
export const LINKED_DIRECTORY_MAX = 5_000;

/**
 * What a linked device is handed of the account besides its keys (C5): the people this account
 * knows and its chat list, so chats whose messages the archive no longer holds (retention, or the
 * archive off) still show, with their names. Tuples keep a link of thousands small. Secret chats
 * never travel (C4). Sealed end to end in the link payload; the renderer gives it to main.
 */
export const linkedDirectorySchema = z
  .object({
    /** [account id, username]. */
    contacts: z.array(z.tuple([accountIdSchema, usernameSchema])).max(LINKED_DIRECTORY_MAX),
    /** [the other party's account id, last activity (ms)]. */
    chats: z.array(z.tuple([accountIdSchema, z.number().int().nonnegative()])).max(LINKED_DIRECTORY_MAX),
  })
  .strict();
export type LinkedDirectory = z.infer<typeof linkedDirectorySchema>;
