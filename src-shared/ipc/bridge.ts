import { accountService, type AccountEvents, type AccountResults } from './account';
import { archiveService, type ArchiveEvents, type ArchiveResults } from './archive';
import { contactsService, type ContactsEvents, type ContactsResults } from './contacts';
import { devicesService, type DevicesEvents, type DevicesResults } from './devices';
import { messagingService, type MessagingEvents, type MessagingResults } from './messaging';
import { preferencesService, type PreferencesEvents, type PreferencesResults } from './preferences';
import { phoneService, type PhoneEvents, type PhoneResults } from './phone';
import { profileService, type ProfileEvents, type ProfileResults } from './profile';
import type { ServiceClient } from './service';

/**
 * Everything the renderer may ask of main: `window.parley`. The Electron preload and the web
 * shell expose exactly these services, built from these descriptors; the renderer cannot tell
 * them apart (ARCHITECTURE §5).
 */
export const BRIDGE_SERVICES = {
  account: accountService,
  messaging: messagingService,
  contacts: contactsService,
  devices: devicesService,
  archive: archiveService,
  preferences: preferencesService,
  profile: profileService,
  phone: phoneService,
} as const;

export type ServiceName = keyof typeof BRIDGE_SERVICES;

export type ParleyBridge = {
  account: ServiceClient<typeof accountService, AccountResults, AccountEvents>;
  messaging: ServiceClient<typeof messagingService, MessagingResults, MessagingEvents>;
  contacts: ServiceClient<typeof contactsService, ContactsResults, ContactsEvents>;
  devices: ServiceClient<typeof devicesService, DevicesResults, DevicesEvents>;
  archive: ServiceClient<typeof archiveService, ArchiveResults, ArchiveEvents>;
  preferences: ServiceClient<typeof preferencesService, PreferencesResults, PreferencesEvents>;
  profile: ServiceClient<typeof profileService, ProfileResults, ProfileEvents>;
  phone: ServiceClient<typeof phoneService, PhoneResults, PhoneEvents>;
};
