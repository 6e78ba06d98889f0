import { createStore, type StoreApi } from 'zustand/vanilla';
import { createChatsSlice, type ChatsSlice } from '../features/chats/chatsSlice';
import { createComposerSlice, type ComposerSlice } from '../features/composer/composerSlice';
import { createSearchSlice, type SearchSlice } from '../features/search/searchSlice';
import { createSessionSlice, type SessionSlice } from '../features/session/sessionSlice';
import { createSettingsSlice, type SettingsSlice } from '../features/settings/settingsSlice';

/**
 * The renderer's UI state: one store, one slice per feature (CONVENTIONS habit 8). Only what the
 * UI is doing lives here (selection, drafts being typed, dialogs, the search box, who is typing);
 * persisted data is read from the history with useLiveQuery and never copied in.
 */
export type AppState = ChatsSlice & ComposerSlice & SearchSlice & SettingsSlice & SessionSlice;

export type AppStore = StoreApi<AppState>;

/** A fresh store; the app makes one at start, each test its own. */
export function createAppStore(): AppStore {
  return createStore<AppState>()((...parts) => ({
    ...createChatsSlice(...parts),
    ...createComposerSlice(...parts),
    ...createSearchSlice(...parts),
    ...createSettingsSlice(...parts),
    ...createSessionSlice(...parts),
  }));
}
