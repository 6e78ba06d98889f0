import { z } from 'zod';
import { base64, opaqueIdSchema } from '../domain/ids';

/**
 * The account's encrypted history archive (C5, C7). Every device appends what it sends and
 * receives, sealed with the account archive key that only the account's devices hold; a newly
 * linked device reads it all, oldest first. The server keeps opaque items under ids the devices
 * chose at random, with the day each was stored (for retention) and its order of arrival.
 */
export const ARCHIVE_ROUTES = {
  /**
   * POST, device auth: AppendArchiveRequest → AppendArchiveResponse (200). Stores the items not
   * already there (an id the account used before is skipped: a retried upload is harmless).
   * `forbidden` while the account's archive is switched off.
   * GET, device auth: `?after=SEQ&limit=N[&count=1]` → ArchivePage, oldest first.
   * DELETE, device auth → 204: deletes every item and switches the archive off for every device.
   */
  items: '/v1/archive/items',
  /** GET → ArchiveState; PUT, device auth: ArchiveSettings → 204 (switching off deletes the items and starts a new epoch). */
  settings: '/v1/archive/settings',
} as const;

/** Items per upload and per page read. */
export const ARCHIVE_BATCH_MAX = 500;
/** Sealed bytes of one item (a batch of messages sealed together). */
export const ARCHIVE_ITEM_MAX_BYTES = 512 * 1024;

export const archiveItemSchema = z.object({ id: opaqueIdSchema, body: base64(ARCHIVE_ITEM_MAX_BYTES) }).strict();
export type ArchiveItem = z.infer<typeof archiveItemSchema>;

export const appendArchiveRequestSchema = z
  .object({
    /** The archive's epoch (ArchiveState) when the items were staged; another one is refused `forbidden`. */
    epoch: z.number().int().min(0).max(2 ** 31 - 1),
    items: z.array(archiveItemSchema).min(1).max(ARCHIVE_BATCH_MAX),
  })
  .strict();
export type AppendArchiveRequest = z.infer<typeof appendArchiveRequestSchema>;
export const appendArchiveResponseSchema = z.object({ stored: z.number().int().min(0) });

export const archivePageQuerySchema = z.object({
  after: z.string().regex(/^\d{1,15}$/, 'after is a sequence number').transform(Number).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'limit is a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(ARCHIVE_BATCH_MAX))
    .optional(),
  /** `1`: the page also says how many items there are from it on (`remaining`), for a progress bar. */
  count: z.literal('1').optional(),
});

export const archivePageSchema = z.object({
  items: z.array(archiveItemSchema.extend({ seq: z.number().int().min(1), day: z.number().int().min(0) })).max(ARCHIVE_BATCH_MAX),
  /** The `after` of the next page, or null at the end. */
  next: z.number().int().nullable(),
  /** Asked for with `count=1`: the items after `after`, this page's included. */
  remaining: z.number().int().min(0).optional(),
});
export type ArchivePage = z.infer<typeof archivePageSchema>;

export const archiveSettingsSchema = z.object({ enabled: z.boolean() }).strict();
export type ArchiveSettings = z.infer<typeof archiveSettingsSchema>;
/** What GET settings answers: the switch, and the epoch (how many times it was switched off; uploads name it). */
export const archiveStateSchema = archiveSettingsSchema.extend({ epoch: z.number().int().min(0) });
export type ArchiveState = z.infer<typeof archiveStateSchema>;
