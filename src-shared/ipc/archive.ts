import { z } from 'zod';
import type { ServiceDescriptor } from './service';

const empty = z.object({}).strict();

/**
 * A newly linked device restoring the account's archive (C5): `restored` of `total` items read
 * (`total` may grow while it runs: the other devices keep archiving), `done` once all are in the
 * inbox, or at once on a device with nothing to restore. Told after each page, a few times a
 * second at most.
 */
export type RestoreProgress = { restored: number; total: number; done: boolean };

/**
 * The account's encrypted history archive (C5, C7). `getSettings` asks the server (so a switch
 * made on another device shows); `setEnabled` switches it for every device of the account, and
 * switching off deletes what the server holds. `getRestoreProgress` and `onDidChangeRestore` tell
 * how this device's restore stands.
 */
export const archiveService = {
  methods: {
    getSettings: empty,
    setEnabled: z.object({ enabled: z.boolean() }).strict(),
    getRestoreProgress: empty,
  },
  events: ['onDidChangeRestore'],
} as const satisfies ServiceDescriptor;

export type ArchiveResults = {
  getSettings: { enabled: boolean };
  setEnabled: null;
  getRestoreProgress: RestoreProgress;
};
export type ArchiveEvents = { onDidChangeRestore: RestoreProgress };
