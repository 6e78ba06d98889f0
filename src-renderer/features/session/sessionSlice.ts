import type { StateCreator } from 'zustand';
import type { ConnectionStatus } from '../../../src-shared/ipc/messaging';
import type { AppState } from '../../app/appStore';

export type SessionSlice = {
  /** Null until main reports on the connection. */
  connection: ConnectionStatus | null;
  /** Who is typing to me, by account id: when their "typing" expires (ms since epoch). */
  typingUntil: Record<string, number>;
  /** A problem with the history or the inbox worth showing, as an i18n key. */
  problemKey: string | null;
  setConnection(status: ConnectionStatus): void;
  setTyping(accountId: string, until: number | null): void;
  setProblem(problemKey: string | null): void;
};

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  connection: null,
  typingUntil: {},
  problemKey: null,
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
});
