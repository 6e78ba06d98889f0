import { useTranslation } from 'react-i18next';
import type { ChatListEntry } from '../../data';
import { useAppStore } from '../../app/appContext';
import { useNow } from '../../ui/useNow';
import { ChatRow } from './ChatRow';

/** The left pane's list of chats (named "Chats": QA and screen readers find it by that name). */
export function ChatList({ chats }: { chats: ChatListEntry[] | undefined }) {
  const { t } = useTranslation();
  const selectedChatId = useAppStore((state) => state.selectedChatId);
  const selectChat = useAppStore((state) => state.selectChat);
  const now = useNow();
  return (
    <div className="chat-list-scroller">
      <ul className="chat-list" role="list" aria-label={t('chats.listName')} aria-busy={chats === undefined || undefined}>
        {(chats ?? []).map((chat) => (
          <li key={chat.conversationId} className="chat-list__item">
            <ChatRow chat={chat} now={now} selected={chat.conversationId === selectedChatId} onSelect={selectChat} />
          </li>
        ))}
      </ul>
      {chats !== undefined && chats.length === 0 ? (
        <div className="chat-list__empty">
          <p className="chat-list__empty-title">{t('chats.emptyTitle')}</p>
          <p>{t('chats.emptyHint')}</p>
        </div>
      ) : null}
    </div>
  );
}
