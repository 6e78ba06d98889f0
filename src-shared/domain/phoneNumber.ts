import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { z } from 'zod';

/** The longest phone number as typed (spaces, dashes and brackets included). */
export const PHONE_INPUT_MAX = 32;

/**
 * A phone number in international form (H3), normalised to E.164 ("+442079460958") by
 * libphonenumber's metadata; null when it is not a possible number of any country. Only the
 * international form is accepted: there is no device country to guess a local number from.
 */
export function e164Of(input: string): string | null {
  if (input.length > PHONE_INPUT_MAX || !input.trim().startsWith('+')) return null;
  const parsed = parsePhoneNumberFromString(input.trim());
  return parsed?.isValid() ? parsed.number : null;
}

/** A typed phone number, normalised to E.164; refused with a message for people otherwise. */
export const phoneNumberSchema = z
  .string()
  .max(PHONE_INPUT_MAX, 'a phone number has at most 32 characters')
  .transform((input, context) => {
    const number = e164Of(input);
    if (number === null) {
      context.addIssue({ code: 'custom', message: 'enter the number with its country code, starting with +' });
      return z.NEVER;
    }
    return number;
  });

/** A one-time code as sent by SMS: six digits. */
export const phoneCodeSchema = z.string().trim().regex(/^\d{6}$/, 'the code has six digits');
