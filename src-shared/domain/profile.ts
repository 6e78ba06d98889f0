import { z } from 'zod';

/** Longest display name and bio, in characters. */
export const DISPLAY_NAME_MAX = 64;
export const BIO_MAX = 140;

/**
 * What a person shows of themselves (A2): a display name (always shown to the people I write
 * to; it need not be real) and a short bio. Sealed with the profile key; the server sees neither.
 */
export const profileSchema = z
  .object({
    displayName: z.string().trim().min(1, 'a display name has at least one character').max(DISPLAY_NAME_MAX, `a display name has at most ${DISPLAY_NAME_MAX} characters`),
    bio: z.string().trim().max(BIO_MAX, `a bio has at most ${BIO_MAX} characters`),
  })
  .strict();
export type Profile = z.infer<typeof profileSchema>;

/** A4: the largest file that may be picked as an avatar, the side of the square it becomes, and the most that square may weigh. */
export const AVATAR_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const AVATAR_SIZE = 256;
export const AVATAR_IMAGE_MAX_BYTES = 256 * 1024;
