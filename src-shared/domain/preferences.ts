import { z } from 'zod';
import { accountIdSchema, base64 } from './ids';

/** Who a privacy setting lets in (A4's avatar, F3's calls). */
export const AUDIENCES = ['everyone', 'contacts', 'nobody'] as const;
export const audienceSchema = z.enum(AUDIENCES);
export type Audience = z.infer<typeof audienceSchema>;

/**
 * The settings that follow a person to every device of the account (B3, F3): kept in each
 * device's vault and synced between them end to end, never told to the server. Each is a
 * register that the latest change wins (see SyncedPreferences in src-main/core/preferences).
 */
export type Preferences = {
  /** F3: who may call me; the calls (F) enforce it on my devices. */
  whoCanCall: Audience;
  /** B3: accounts whose messages my devices drop, without a receipt; oldest block first. */
  blocked: string[];
  /** A5: the names I saved for people, by account id; they override display names, for me only. */
  contactNames: Record<string, string>;
  /** A4: who may see my avatar; enforced by who my devices give the avatar key. */
  avatarVisibility: Audience;
  /** B2: my contacts (added by hand or imported), by account id, oldest first: "My contacts" in the settings above. */
  contacts: string[];
  /** B4: suggest the people I write to most first in Search (ranked on each device; off deletes the ranking). */
  suggestFrequent: boolean;
};

export const DEFAULT_PREFERENCES: Preferences = { whoCanCall: 'contacts', blocked: [], contactNames: {}, avatarVisibility: 'contacts', contacts: [], suggestFrequent: true };

/** At most this many contacts (removed ones remembered), so the synced state stays small. */
export const CONTACTS_MAX = 5_000;

/** The longest name I can save for someone (as a display name). */
export const CONTACT_NAME_MAX = 64;
/** At most this many saved names (cleared ones remembered), so the synced state stays small. */
export const CONTACT_NAMES_MAX = 5_000;

const whoCanCallChange = z.object({ key: z.literal('whoCanCall'), value: audienceSchema }).strict();
const blockedChange = z.object({ key: z.literal('blocked'), accountId: accountIdSchema, value: z.boolean() }).strict();
/** A5: the name I saved for `accountId`; the empty string clears it (their display name shows again). */
const contactNameChange = z
  .object({
    key: z.literal('contactName'),
    accountId: accountIdSchema,
    value: z.string().trim().max(CONTACT_NAME_MAX, `a saved name has at most ${CONTACT_NAME_MAX} characters`),
  })
  .strict();
const suggestFrequentChange = z.object({ key: z.literal('suggestFrequent'), value: z.boolean() }).strict();
const avatarVisibilityChange = z.object({ key: z.literal('avatarVisibility'), value: audienceSchema }).strict();
/** B2: `accountId` is one of my contacts (true) or no longer (false). */
const contactChange = z.object({ key: z.literal('contact'), accountId: accountIdSchema, value: z.boolean() }).strict();
/** A4: the key my avatar is sealed with, which only my devices and the people allowed to see it hold. Never shown to the renderer. */
const avatarKeyChange = z.object({ key: z.literal('avatarKey'), value: base64(32) }).strict();
/** A2: the account's profile key (32 bytes, base64), which only my devices and the people I gave it hold. Never shown to the renderer. */
const profileKeyChange = z.object({ key: z.literal('profileKey'), value: base64(32) }).strict();

/** The settings people choose (the renderer may ask for these). */
const settingChanges = [whoCanCallChange, blockedChange, contactNameChange, avatarVisibilityChange, contactChange, suggestFrequentChange] as const;

/** One change to the synced settings, as the app may ask for it. */
export const preferenceChangeSchema = z.discriminatedUnion('key', settingChanges);
export type PreferenceChange = z.infer<typeof preferenceChangeSchema>;

/** One change as my devices pass it on: the settings, and the secrets that follow me too (the profile and avatar keys). */
export const syncedChangeSchema = z.discriminatedUnion('key', [...settingChanges, profileKeyChange, avatarKeyChange]);
export type SyncedChange = z.infer<typeof syncedChangeSchema>;

/**
 * A change as my devices pass it on: with its logical clock (a Lamport clock over the account's
 * devices). The greater clock wins, and on a tie the greater device id, so every device ends at
 * the same value whatever order the changes reach it in.
 */
export const stampedPreferenceSchema = z
  .object({
    change: syncedChangeSchema,
    clock: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type StampedPreference = z.infer<typeof stampedPreferenceSchema>;

/** At most this many accounts blocked (and unblocked ones remembered), so the synced state stays small. */
export const BLOCKED_MAX = 1_000;

/** A register as a device keeps it (and a linked device receives it): the change, its clock, and the device that made it. */
export const preferenceRegisterSchema = stampedPreferenceSchema.extend({ deviceId: z.number().int().min(1).max(127) }).strict();
export type PreferenceRegister = z.infer<typeof preferenceRegisterSchema>;
