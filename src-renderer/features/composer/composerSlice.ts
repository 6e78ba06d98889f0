import type { StateCreator } from 'zustand';
import type { AppState } from '../../app/appStore';

export type ComposerSlice = {
  /**
   * What is typed in each chat's composer, by conversation id. The history keeps a copy
   * (saveDraft) so a draft survives a restart; this is the live text while the app runs.
   */
  drafts: Record<string, string>;
  setDraft(conversationId: string, text: string): void;
};

export const createComposerSlice: StateCreator<AppState, [], [], ComposerSlice> = (set) => ({
  drafts: {},
  setDraft: (conversationId, text) =>
    set((state) => (state.drafts[conversationId] === text ? state : { drafts: { ...state.drafts, [conversationId]: text } })),
});
