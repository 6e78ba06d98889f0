import { phoneNumberSchema } from '../../../src-shared/domain/phoneNumber';
import { failure } from '../../../src-shared/ipc/result';
import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The contacts service (src-shared/ipc/contacts.ts): exact look-ups, remembered in the vault. */
export const contactsServiceOf = (session: ProfileSession): ServiceImplementation<'contacts'> => ({
  findByUsername: async ({ username }) => {
    const found = await resultOf(async () => ({ accountId: await session.core.contacts.accountIdOf(username), username }));
    // The generic message cannot name whom nobody could find.
    return !found.ok && found.error.code === 'not_found' ? failure('not_found', `There is no @${username} on this server.`) : found;
  },
  findByPhone: async ({ number }) => {
    const found = await resultOf(() => session.core.contacts.findByPhone(phoneNumberSchema.parse(number)));
    return !found.ok && found.error.code === 'not_found' ? failure('not_found', 'Nobody can be found by that number.') : found;
  },
  usernameOf: ({ accountId }) => resultOf(async () => ({ username: (await session.core.contacts.usernameOf(accountId)) ?? null })),
  importFile: ({ name, file }) => resultOf(() => session.core.contactImport.importFile(Buffer.from(file, 'base64'), name)),
  importedCount: () => resultOf(() => ({ count: session.core.contactImport.imported.length })),
  deleteSynced: () =>
    resultOf(async () => {
      await session.core.contactImport.deleteSynced();
      return null;
    }),
});
