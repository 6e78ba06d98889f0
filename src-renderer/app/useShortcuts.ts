import { useEffect, useRef } from 'react';
import type { ChatListEntry } from '../data';
import { useAppStoreApi } from './appContext';
import { focusTarget } from './focusTargets';
import { shortcutFor, type ShortcutAction } from './shortcuts';

/** The chat after (step 1) or before (step -1) the selected one, wrapping round. */
export function neighbourChat(chats: readonly ChatListEntry[], selected: string | null, step: 1 | -1): string | null {
  if (chats.length === 0) return null;
  const index = chats.findIndex((chat) => chat.conversationId === selected);
  if (index === -1) return (step === 1 ? chats[0] : chats[chats.length - 1])?.conversationId ?? null;
  return chats[(index + step + chats.length) % chats.length]?.conversationId ?? null;
}

/** Listens for the shortcuts of app/shortcuts.ts anywhere in the window while signed in. */
export function useShortcuts(chats: readonly ChatListEntry[] | undefined): void {
  const store = useAppStoreApi();
  const chatsRef = useRef(chats);
  useEffect(() => {
    chatsRef.current = chats;
  }, [chats]);

  useEffect(() => {
    const run = (action: ShortcutAction) => {
      const state = store.getState();
      switch (action) {
        case 'focusSearch':
          focusTarget('search');
          return;
        case 'focusComposer':
          focusTarget('composer');
          return;
        case 'openSettings':
          state.openSettings();
          return;
        case 'nextChat':
        case 'previousChat': {
          const next = neighbourChat(chatsRef.current ?? [], state.selectedChatId, action === 'nextChat' ? 1 : -1);
          if (next !== null) state.selectChat(next);
          return;
        }
      }
    };
    const keyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const action = shortcutFor(event);
      if (action === null) return;
      // A dialog is modal: only its own keys apply while it is open.
      if (store.getState().settingsOpen && action !== 'openSettings') return;
      event.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', keyDown);
    return () => window.removeEventListener('keydown', keyDown);
  }, [store]);
}
