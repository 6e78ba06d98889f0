import { z } from 'zod';
import { accountIdSchema, passwordSchema, usernameSchema } from '../domain/ids';
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
 * The account service. `register` creates the account (A1: username and password only) and signs
 * in. `unlock` opens a locked profile with its password. `historyKey` hands the renderer the key
 * of its history store (ARCHITECTURE §2), only while signed in.
 */
export const accountService = {
  methods: {
    getState: empty,
    register: z.object({ username: usernameSchema, password: passwordSchema }).strict(),
    unlock: z.object({ password: z.string().min(1).max(1_024) }).strict(),
    historyKey: empty,
  },
  events: ['onDidChangeState'],
} as const satisfies ServiceDescriptor;

export type AccountResults = {
  getState: AccountState;
  register: AccountSummary;
  unlock: AccountSummary;
  /** base64 of the 32-byte storage key. */
  historyKey: { storageKey: string };
};
export type AccountEvents = { onDidChangeState: AccountState };

export const accountSummarySchema = z.object({ accountId: accountIdSchema, username: z.string(), deviceId: z.number().int() });
