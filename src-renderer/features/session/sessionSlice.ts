import type { StateCreator } from 'zustand';
import type { Preferences } from '../../../src-shared/domain/preferences';
import type { ConnectionStatus } from '../../../src-shared/ipc/messaging';
import type { AppState } from '../../app/appStore';

export type SessionSlice = {
  /** Null until main reports on the connection. */
  connection: ConnectionStatus | null;
  /** Who is typing to me, by account id: when their "typing" expires (ms since epoch). */
  typingUntil: Record<string, number>;
  /** A problem with the history or the inbox worth showing, as an i18n key. */
  problemKey: string | null;
  /** The settings synced between my devices (B3's block list, F3), as main holds them; null until main answers. */
  preferences: Preferences | null;
  setConnection(status: ConnectionStatus): void;
  setTyping(accountId: string, until: number | null): void;
  setProblem(problemKey: string | null): void;
  setPreferences(preferences: Preferences): void;
};

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  connection: null,
  typingUntil: {},
  problemKey: null,
  preferences: null,
  setConnection: (connection) => set({ connection }),
  setTyping: (accountId, until) =>
    set((state) => {
      if (until === null) {
        if (!(accountId in state.typingUntil)) return state;
        const { [accountId]: _removed, ...rest } = state.typingUntil;
        return { typingUntil: rest };
      }
      return { typingUntil: { ...state.typingUntil, [accountId]: until } };
    }),
  setProblem: (problemKey) => set({ problemKey }),
  setPreferences: (preferences) => set({ preferences }),
});
