import { z } from 'zod';
import { accountIdSchema, base64, usernameSchema } from '../domain/ids';
import { PHONE_INPUT_MAX } from '../domain/phoneNumber';
import type { ServiceDescriptor } from './service';

/** Finding people (B1): exact @username look-ups, answered from main's cache or the server, and look-ups by phone number. */
export const contactsService = {
  methods: {
    findByUsername: z.object({ username: usernameSchema }).strict(),
    /** B1: who can be found by this phone number (international form), while they allow it. */
    findByPhone: z.object({ number: z.string().max(PHONE_INPUT_MAX) }).strict(),
    usernameOf: z.object({ accountId: accountIdSchema }).strict(),
    /**
     * B2: a contacts file the user picked (vCard or CSV, its bytes as base64, at most 2 MB); main
     * reads it all or nothing (`invalid_argument` naming the line), keeps the number and the
     * first and last name of each entry, and syncs the numbers as keyed hashes.
     */
    importFile: z.object({ name: z.string().max(255), file: base64(2 * 1024 * 1024) }).strict(),
    /** B2: how many imported contacts this device keeps. */
    importedCount: z.object({}).strict(),
    /** B2: my synced contacts off the server at once (and the imported list off this device). */
    deleteSynced: z.object({}).strict(),
  },
  events: [],
} as const satisfies ServiceDescriptor;

export type ContactsResults = {
  findByUsername: { accountId: string; username: string };
  findByPhone: { accountId: string; username: string };
  usernameOf: { username: string | null };
  importFile: { imported: number; skipped: number; onParley: number };
  importedCount: { count: number };
  deleteSynced: null;
};
export type ContactsEvents = Record<never, never>;
