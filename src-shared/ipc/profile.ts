import { z } from 'zod';
import { profileSchema, type Profile } from '../domain/profile';
import type { ServiceDescriptor } from './service';

/**
 * My profile (A2): a display name and a bio, end-to-end encrypted (the server keeps them sealed
 * with a key only my devices and the people I write to hold). `save` seals and uploads it and
 * tells my other devices and those people; a change made on another of my devices arrives as
 * `onDidChange`. `get` is null until a profile was saved.
 */
export const profileService = {
  methods: {
    get: z.object({}).strict(),
    save: profileSchema,
  },
  events: ['onDidChange'],
} as const satisfies ServiceDescriptor;

export type ProfileResults = { get: Profile | null; save: Profile };
export type ProfileEvents = { onDidChange: Profile | null };
