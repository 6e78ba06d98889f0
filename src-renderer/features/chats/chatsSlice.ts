import type { StateCreator } from 'zustand';
import type { RestoreProgress } from '../../../src-shared/ipc/archive';
import type { CatchUpProgress } from '../../../src-shared/ipc/messaging';
import type { MessagePosition } from '../../data';
import type { AppState } from '../../app/appStore';

/** A message to show and highlight when a conversation opens (a search result). */
export type MessageFocus = { conversationId: string; position: MessagePosition; serial: number };

export type ChatsSlice = {
  selectedChatId: string | null;
  /** Set when a chat is opened at a message instead of at its newest. */
  messageFocus: MessageFocus | null;
  /** The catch-up main reports (received of queued at connect); null until it reports one. */
  catchUp: CatchUpProgress | null;
  /** A linked device's restore of the account's archive (C5); null until main reports one. */
  restore: RestoreProgress | null;
  selectChat(conversationId: string | null): void;
  openChatAt(conversationId: string, position: MessagePosition): void;
  setCatchUp(progress: CatchUpProgress): void;
  setRestore(progress: RestoreProgress): void;
};

export const createChatsSlice: StateCreator<AppState, [], [], ChatsSlice> = (set) => ({
  selectedChatId: null,
  messageFocus: null,
  catchUp: null,
  restore: null,
  selectChat: (conversationId) =>
    set((state) => (state.selectedChatId === conversationId && state.messageFocus === null ? state : { selectedChatId: conversationId, messageFocus: null })),
  openChatAt: (conversationId, position) =>
    set((state) => ({
      selectedChatId: conversationId,
      messageFocus: { conversationId, position, serial: (state.messageFocus?.serial ?? 0) + 1 },
    })),
  setCatchUp: (catchUp) => set({ catchUp }),
  setRestore: (restore) => set({ restore }),
});
