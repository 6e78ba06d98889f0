import { z } from 'zod';
import { accountIdSchema, usernameSchema } from '../domain/ids';
import { PHONE_INPUT_MAX } from '../domain/phoneNumber';
import type { ServiceDescriptor } from './service';

/** Finding people (B1): exact @username look-ups, answered from main's cache or the server, and look-ups by phone number. */
export const contactsService = {
  methods: {
    findByUsername: z.object({ username: usernameSchema }).strict(),
    /** B1: who can be found by this phone number (international form), while they allow it. */
    findByPhone: z.object({ number: z.string().max(PHONE_INPUT_MAX) }).strict(),
    usernameOf: z.object({ accountId: accountIdSchema }).strict(),
  },
  events: [],
} as const satisfies ServiceDescriptor;

export type ContactsResults = {
  findByUsername: { accountId: string; username: string };
  findByPhone: { accountId: string; username: string };
  usernameOf: { username: string | null };
};
export type ContactsEvents = Record<never, never>;
