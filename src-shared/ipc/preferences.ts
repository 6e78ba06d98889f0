import { z } from 'zod';
import { preferenceChangeSchema, type Preferences } from '../domain/preferences';
import type { ServiceDescriptor } from './service';

/**
 * The settings that follow me to my devices, end to end (B3's block list, F3's who can call me).
 * `change` applies at once here, syncs to my other devices and survives a restart; a change made
 * on another device arrives as `onDidChange`. Blocking myself, or more than BLOCKED_MAX people, is
 * `invalid_argument` and changes nothing.
 */
export const preferencesService = {
  methods: {
    get: z.object({}).strict(),
    change: z.object({ changes: z.array(preferenceChangeSchema).min(1).max(100) }).strict(),
  },
  events: ['onDidChange'],
} as const satisfies ServiceDescriptor;

export type PreferencesResults = { get: Preferences; change: Preferences };
export type PreferencesEvents = { onDidChange: Preferences };
