import type { z } from 'zod';
import { LIMITS } from '../../../src-shared/domain/limits';
import { passwordSchema, usernameSchema } from '../../../src-shared/domain/ids';

/** An i18n key and its values: what the form shows under a field. */
export type FieldProblem = { key: string; values?: Record<string, number> };

/**
 * The contract's own schemas decide (src-shared/domain/ids.ts); this only turns their verdict
 * into words, so the form and main can never disagree about what is valid.
 */
export function usernameProblem(typed: string): FieldProblem | null {
  if (typed.trim() === '') return { key: 'account.username.required' };
  return problemOf(usernameSchema.safeParse(typed), 'account.username');
}

export function passwordProblem(typed: string): FieldProblem | null {
  if (typed === '') return { key: 'account.password.required' };
  return problemOf(passwordSchema.safeParse(typed), 'account.password');
}

function problemOf(result: z.ZodSafeParseResult<unknown>, prefix: string): FieldProblem | null {
  if (result.success) return null;
  const issue = result.error.issues[0];
  const limits = prefix === 'account.username'
    ? { min: LIMITS.usernameMinLength, max: LIMITS.usernameMaxLength }
    : { min: LIMITS.passwordMinLength, max: LIMITS.passwordMaxLength };
  switch (issue?.code) {
    case 'too_small':
      return { key: `${prefix}.tooShort`, values: { count: limits.min } };
    case 'too_big':
      return { key: `${prefix}.tooLong`, values: { count: limits.max } };
    default:
      return { key: `${prefix}.invalid` };
  }
}
