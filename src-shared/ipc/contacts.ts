import { z } from 'zod';
import { accountIdSchema, usernameSchema } from '../domain/ids';
import type { ServiceDescriptor } from './service';

/** Finding people (B1): exact @username look-ups, answered from main's cache or the server. */
export const contactsService = {
  methods: {
    findByUsername: z.object({ username: usernameSchema }).strict(),
    usernameOf: z.object({ accountId: accountIdSchema }).strict(),
  },
  events: [],
} as const satisfies ServiceDescriptor;

export type ContactsResults = {
  findByUsername: { accountId: string; username: string };
  usernameOf: { username: string | null };
};
export type ContactsEvents = Record<never, never>;
