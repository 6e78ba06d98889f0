import { z } from 'zod';
import { accountIdSchema, passwordSchema, usernameSchema } from '../domain/ids';
import type { DeviceSession } from '../domain/devices';
import type { ServiceDescriptor } from './service';

/** Who is signed in on this profile. */
export type AccountSummary = { accountId: string; username: string; deviceId: number };

/**
 * `signed_out`: the profile has no account yet (show sign-up). `locked`: it has one, but its
 * vault is closed until the password is given (the web shell, which has no OS keychain; A12's
 * passcode lock later). `signed_in`: the core runs.
 * `endedSession`: this profile was signed in to that account until another device ended its
 * session (A9); main has wiped its vault and keys, and the renderer deletes that account's
 * history store and shows the notice. It stays until a new account is made on the profile.
 */
export type AccountState =
  | { status: 'signed_out'; endedSession?: { accountId: string } }
  | { status: 'locked'; username: string }
  | { status: 'signed_in'; account: AccountSummary };

const empty = z.object({}).strict();

/**
 * Linking this new device to an existing account (C5), as it goes: `waiting` with the code to
 * copy or scan (and its QR code as an SVG path), then the signed-in state arrives by
 * onDidChangeState; or `failed` (expired, refused by the server, an answer that did not open,
 * cancelled) with words for people, and nothing of the account on the profile.
 */
export type LinkProgress =
  | { status: 'waiting'; code: string; expiresAt: number; qr: { size: number; path: string } }
  | { status: 'failed'; reason: 'expired' | 'refused' | 'tampered' | 'cancelled' | 'unreachable'; message: string };

/**
 * The account service. `register` creates the account (A1: username and password only) and signs
 * in. `unlock` opens a locked profile with its password. `historyKey` hands the renderer the key
 * of its history store (ARCHITECTURE §2), only while signed in.
 * Linking (C5): `linkRequirements` says whether this shell locks the profile with a password of
 * its own (the web shell: no OS keychain), which `startLink` then needs; `startLink` makes the
 * link code and waits in main for an existing device to answer; `cancelLink` gives up.
 * Signing in on a machine with no device of the account (C5): `devicesOfAccount` checks the
 * password and names where the account is still signed in (only those can read its history);
 * `startFresh`, once the person confirmed, starts the account over with this device alone (a new
 * identity; the archive and every other session deleted) and signs in.
 */
export const accountService = {
  methods: {
    getState: empty,
    register: z.object({ username: usernameSchema, password: passwordSchema }).strict(),
    unlock: z.object({ password: z.string().min(1).max(1_024) }).strict(),
    historyKey: empty,
    linkRequirements: empty,
    startLink: z.object({ password: passwordSchema.optional() }).strict(),
    cancelLink: empty,
    devicesOfAccount: z.object({ username: usernameSchema, password: passwordSchema }).strict(),
    startFresh: z.object({ username: usernameSchema, password: passwordSchema }).strict(),
  },
  events: ['onDidChangeState', 'onDidChangeLink'],
} as const satisfies ServiceDescriptor;

export type AccountResults = {
  getState: AccountState;
  register: AccountSummary;
  unlock: AccountSummary;
  /** base64 of the 32-byte storage key. */
  historyKey: { storageKey: string };
  linkRequirements: { password: boolean };
  startLink: Extract<LinkProgress, { status: 'waiting' }>;
  cancelLink: null;
  devicesOfAccount: { devices: DeviceSession[] };
  startFresh: AccountSummary;
};
export type AccountEvents = { onDidChangeState: AccountState; onDidChangeLink: LinkProgress };

export const accountSummarySchema = z.object({ accountId: accountIdSchema, username: z.string(), deviceId: z.number().int() });
