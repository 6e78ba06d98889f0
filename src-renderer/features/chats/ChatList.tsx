import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatListEntry } from '../../data';
import { useAppStore } from '../../app/appContext';
import { useNow } from '../../ui/useNow';
import { CatchUpStatus } from './CatchUpStatus';
import { RestoreStatus } from './RestoreStatus';
import { ChatRow } from './ChatRow';

/** A row's height before it is measured: the avatar (44) and the row's padding. */
const ESTIMATED_ROW_PX = 64;

/**
 * The left pane's list of chats (named "Chats": QA and screen readers find it by that name).
 * Virtualised, so thousands of chats cost what is on screen; each item says its place in the
 * whole list (aria-posinset / aria-setsize) for screen readers, and the selected chat is
 * scrolled into view when the keyboard moves to it.
 */
export function ChatList({ chats }: { chats: ChatListEntry[] | undefined }) {
  const { t } = useTranslation();
  const selectedChatId = useAppStore((state) => state.selectedChatId);
  const selectChat = useAppStore((state) => state.selectChat);
  // "No chats yet" would be wrong while the first of them are arriving.
  const catchingUp = useAppStore(
    (state) => (state.catchUp !== null && !state.catchUp.done && state.catchUp.total > 0) || (state.restore !== null && !state.restore.done),
  );
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const list = chats ?? [];

  // TanStack Virtual keeps mutable state in the instance; the compiler lint knows it cannot memoise it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (index) => list[index]?.conversationId ?? index,
    overscan: 8,
  });

  const selectedIndex = selectedChatId === null ? -1 : list.findIndex((chat) => chat.conversationId === selectedChatId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  return (
    <>
      <RestoreStatus />
      <CatchUpStatus />
      <div ref={scrollRef} className="chat-list-scroller">
        <ul
          className="chat-list"
          role="list"
          aria-label={t('chats.listName')}
          aria-busy={chats === undefined || undefined}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const chat = list[item.index] as ChatListEntry;
            return (
              <li
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="chat-list__item"
                aria-posinset={item.index + 1}
                aria-setsize={list.length}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <ChatRow chat={chat} now={now} selected={chat.conversationId === selectedChatId} onSelect={selectChat} />
              </li>
            );
          })}
        </ul>
        {chats !== undefined && chats.length === 0 && !catchingUp ? (
          <div className="chat-list__empty">
            <p className="chat-list__empty-title">{t('chats.emptyTitle')}</p>
            <p>{t('chats.emptyHint')}</p>
          </div>
        ) : null}
      </div>
    </>
  );
}
