import { ZodError } from 'zod';
import { failure, ok, type Result } from '../../../src-shared/ipc/result';
import { ServerError, ServerUnreachableError } from '../api/serverApi';
import { InsecureTransportError } from '../api/serverTransport';
import { ThisDeviceError } from '../account/deviceSessions';
import { AccountPasswordError } from '../account/startFresh';
import { LinkCodeError } from '../linking/linkCode';
import { LinkFailedError } from '../linking/requestLink';
import { MessageTooLongError, RecipientBlockedError } from '../coreErrors';
import { AvatarImageError } from '../accountProfile/avatarImage';
import { ContactFileError } from '../contacts/contactFile';
import { BlockSelfError, TooManyBlockedError, TooManyContactNamesError, TooManyContactsError } from '../preferences/syncedPreferences';
import { SecretChatNotFoundError } from '../secret/secretChatSessions';
import { KeysFailedVerificationError, UndeliverableError } from '../sync/deviceDirectory';
import { VaultInUseError } from '../vault/vault';
import { CorruptKeyFileError, KeychainRefusedError, WrongPasswordError } from './profileKeyFile';
import { AlreadySignedInError, LinkInProgressError, NoAccountError, NotSignedInError, PasswordNeededError } from './profileSession';

/** A core message ("that link code has expired: …") as a sentence for people. */
const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;

/**
 * The errors a bridge call can expect, as values with a message for people (CONVENTIONS habit
 * 13). Anything else is rethrown, and the dispatcher answers it as `internal` without details.
 */
function expectedFailure(error: unknown): Result<never> | undefined {
  if (error instanceof NotSignedInError) return failure('not_signed_in', 'Sign in first.');
  if (error instanceof NoAccountError) return failure('not_signed_in', 'This profile has no account yet. Create one first.');
  if (error instanceof AlreadySignedInError) return failure('already_signed_in', 'This profile already has an account.');
  if (error instanceof WrongPasswordError) return failure('wrong_password', 'That password is not right.');
  if (error instanceof AccountPasswordError) return failure('wrong_password', 'That username and password do not match an account.');
  if (error instanceof VaultInUseError) return failure('profile_in_use', 'This profile is open in another Parley window or process; close that one first.');
  if (error instanceof MessageTooLongError) return failure('too_long', 'This message is too long to send.');
  if (error instanceof RecipientBlockedError) return failure('invalid_argument', 'You blocked this person. Unblock them to send a message.');
  if (error instanceof BlockSelfError || error instanceof TooManyBlockedError || error instanceof TooManyContactNamesError || error instanceof TooManyContactsError) {
    return failure('invalid_argument', sentence(error.message));
  }
  // A value the bridge's schema let through but the core's own rules refuse (a phone number of no country).
  if (error instanceof ZodError) return failure('invalid_argument', sentence(error.issues[0]?.message ?? 'that is not valid'));
  if (error instanceof AvatarImageError) return failure('invalid_argument', sentence(error.message));
  if (error instanceof ContactFileError) return failure('invalid_argument', `Nothing was imported: ${error.message}.`);
  if (error instanceof SecretChatNotFoundError) return failure('not_found', 'This device has no such secret chat.');
  // Keys that do not verify are not a missing person: said as what they are.
  if (error instanceof KeysFailedVerificationError) return failure('invalid_argument', 'Their keys failed verification, so nothing was sent to them.');
  if (error instanceof UndeliverableError) return failure('not_found', sentence(error.message));
  if (error instanceof LinkCodeError) return failure('invalid_argument', sentence(error.message));
  if (error instanceof LinkFailedError) return failure('invalid_argument', sentence(error.message));
  if (error instanceof LinkInProgressError) return failure('invalid_argument', 'This device is waiting to be linked. Cancel that first.');
  if (error instanceof PasswordNeededError) return failure('invalid_argument', 'Choose a password that locks Parley on this device.');
  if (error instanceof ThisDeviceError) return failure('invalid_argument', 'This is the device you are using. Terminate other devices only.');
  if (error instanceof KeychainRefusedError || error instanceof CorruptKeyFileError) return failure('internal', error.message);
  // The saved or given server is plain http:// on another machine and the app was not started with --insecure.
  if (error instanceof InsecureTransportError) return failure('unreachable', error.message);
  if (error instanceof ServerUnreachableError) return failure('unreachable', 'The Parley server cannot be reached. Check the connection and try again.');
  if (error instanceof ServerError) {
    switch (error.code) {
      case 'username_taken':
        return failure('username_taken', 'That username is taken. Try another one.');
      case 'not_found':
        return failure('not_found', 'Nobody has that username.');
      case 'rate_limited': {
        const seconds = error.error.retryAfterSeconds;
        const when = seconds === undefined ? 'in a moment' : seconds < 90 ? `in ${seconds} seconds` : `in ${Math.ceil(seconds / 60)} minutes`;
        return failure('unreachable', `Too many attempts from here. Try again ${when}.`);
      }
      case 'bad_request':
        return failure('invalid_argument', `The server refused this: ${error.message}`);
      case 'session_ended':
        return failure('not_signed_in', 'This session was ended from another device.');
      case 'forbidden':
        return failure('invalid_argument', `The server refused this: ${error.message}`);
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Runs one bridge call: its value, or an expected failure as a Result. */
export async function resultOf<T>(work: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    const expected = expectedFailure(error);
    if (expected) return expected;
    throw error;
  }
}
