import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useState } from 'react';
import { getMessage, listMessagesPage, type HistoryMessage, type MessagePosition } from '../../data';
import { useSession } from '../session/sessionContext';

/** Messages read per page as the user scrolls. */
export const MESSAGE_PAGE_SIZE = 60;

export type MessageWindow = {
  /** Oldest first; undefined until the first read. */
  messages: HistoryMessage[] | undefined;
  hasOlder: boolean;
  hasNewer: boolean;
  /** The last read answered the current range: asking for more now is not a repeat. */
  settled: boolean;
  /** The message the window was opened at, if any (a search result). */
  anchor: MessagePosition | null;
  loadOlder(): void;
  loadNewer(): void;
};

type Range = { anchor: MessagePosition | null; older: number; newer: number };

/**
 * The part of a conversation the log shows, read live from the history. Normally the newest
 * messages, growing a page at a time towards older ones; opened at a search result, the messages
 * around it, growing both ways, and back to following the newest once the user reaches them.
 * Pages are anchored on positions, so messages arriving meanwhile neither repeat nor vanish.
 */
export function useMessageWindow(conversationId: string, anchorAt: MessagePosition | null): MessageWindow {
  const { store } = useSession();
  const [range, setRange] = useState<Range>({ anchor: anchorAt, older: anchorAt ? MESSAGE_PAGE_SIZE / 2 : MESSAGE_PAGE_SIZE, newer: MESSAGE_PAGE_SIZE / 2 });

  const result = useLiveQuery(async () => {
    if (range.anchor === null) {
      const page = await listMessagesPage(store, { conversationId, limit: range.older });
      return { range, messages: page.messages, hasOlder: page.hasMore, hasNewer: false };
    }
    const older = await listMessagesPage(store, { conversationId, limit: range.older, before: range.anchor });
    const target = await getMessage(store, range.anchor.senderAccountId, range.anchor.messageId);
    const newer = await listMessagesPage(store, { conversationId, limit: range.newer, after: range.anchor });
    const messages = [...older.messages, ...(target && target.conversationId === conversationId ? [target] : []), ...newer.messages];
    return { range, messages, hasOlder: older.hasMore, hasNewer: newer.hasMore };
  }, [store, conversationId, range]);

  const loaded = result?.messages.length ?? 0;
  const hasNewer = result?.hasNewer ?? false;
  const loadOlder = useCallback(() => setRange((current) => ({ ...current, older: current.older + MESSAGE_PAGE_SIZE })), []);
  const loadNewer = useCallback(() => {
    setRange((current) => {
      if (current.anchor === null) return current;
      // The newest are in view: follow them live from now on, keeping what is shown.
      if (!hasNewer) return { anchor: null, older: Math.max(loaded, MESSAGE_PAGE_SIZE), newer: MESSAGE_PAGE_SIZE / 2 };
      return { ...current, newer: current.newer + MESSAGE_PAGE_SIZE };
    });
  }, [hasNewer, loaded]);

  return {
    messages: result?.messages,
    hasOlder: result?.hasOlder ?? false,
    hasNewer,
    settled: result?.range === range,
    anchor: range.anchor,
    loadOlder,
    loadNewer,
  };
}
