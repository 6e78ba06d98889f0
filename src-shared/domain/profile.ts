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
