import { z } from 'zod';
import { PHONE_INPUT_MAX } from '../domain/phoneNumber';
import type { PhoneNumberState } from '../protocol/phone';
import type { ServiceDescriptor } from './service';

/**
 * My optional phone number (A1, A3, H3): `sendCode` texts a six-digit code to the number typed
 * (international form, "+44 20 …"; main normalises it), `verify` proves it, `setDiscoverable`
 * is "Find me by my phone number", `remove` takes it off the server at once. The server keeps it
 * only as a keyed hash and sealed; it is shown to nobody but me.
 */
export const phoneService = {
  methods: {
    get: z.object({}).strict(),
    sendCode: z.object({ number: z.string().max(PHONE_INPUT_MAX) }).strict(),
    verify: z.object({ code: z.string().max(16) }).strict(),
    setDiscoverable: z.object({ discoverable: z.boolean() }).strict(),
    remove: z.object({}).strict(),
  },
  events: [],
} as const satisfies ServiceDescriptor;

export type PhoneResults = {
  get: PhoneNumberState | null;
  sendCode: { number: string };
  verify: PhoneNumberState;
  setDiscoverable: PhoneNumberState;
  remove: null;
};
export type PhoneEvents = Record<never, never>;
