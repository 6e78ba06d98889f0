import { z } from 'zod';
import { base64, usernameSchema } from '../domain/ids';
import { AVATAR_FILE_MAX_BYTES, profileSchema, type Profile } from '../domain/profile';
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
    getAvatar: z.object({}).strict(),
    /**
     * A4: the picked file's bytes (base64; main checks it is an image and at most 10 MB); main
     * crops and scales it, seals it and gives its key to those my avatar visibility lets in.
     */
    setAvatar: z.object({ file: base64(AVATAR_FILE_MAX_BYTES) }).strict(),
    removeAvatar: z.object({}).strict(),
    /** A3: my new @username; the old one is released on the server at once. `username_taken` when someone has it. */
    changeUsername: z.object({ username: usernameSchema }).strict(),
  },
  events: ['onDidChange', 'onDidChangeAvatar'],
} as const satisfies ServiceDescriptor;

/** My avatar as main made it: a square WebP image (base64), or null when I have none. */
export type OwnAvatarView = { image: string | null };

export type ProfileResults = {
  get: Profile | null; save: Profile; getAvatar: OwnAvatarView; setAvatar: OwnAvatarView; removeAvatar: OwnAvatarView;
  changeUsername: { username: string };
};
export type ProfileEvents = { onDidChange: Profile | null; onDidChangeAvatar: OwnAvatarView };
