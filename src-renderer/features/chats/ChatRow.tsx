import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { partyOf, type ChatListEntry } from '../../data';
import { LockIcon } from '../../ui/icons';
import { Avatar } from '../../ui/Avatar';
import { formatListTime } from '../../ui/dates';
import { MessageTicks } from '../conversation/MessageTicks';
import { nameOf, shortAccountId } from './chatNames';
import { useSavedName } from './useSavedName';

type Props = { chat: ChatListEntry; now: number; selected: boolean; onSelect(conversationId: string): void };

/** One chat: avatar, name, time, the last message (or the draft) and the unread count. */
export const ChatRow = memo(function ChatRow({ chat, now, selected, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const party = partyOf(chat);
  const savedName = useSavedName(party);
  const name = nameOf(chat.contact, savedName) ?? t('chats.unknownPerson', { id: shortAccountId(party) });
  const last = chat.lastMessage;
  const time = last ? last.sentAt : chat.lastActivityAt;
  const hasDraft = chat.draft.trim() !== '' && !selected;
  return (
    <button
      type="button"
      className={selected ? 'chat-row chat-row--selected' : 'chat-row'}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(chat.conversationId)}
    >
      <Avatar accountId={party} name={name} image={chat.contact?.avatar} />
      <span className="chat-row__body">
        <span className="chat-row__top">
          <span className="chat-row__name" dir="auto">
            {name}
          </span>
          {chat.secret ? (
            <span className="secret-tag">
              <LockIcon />
              {t('secret.tag')}
            </span>
          ) : null}
          <time className="chat-row__time" dateTime={new Date(time).toISOString()}>
            {formatListTime(time, now, i18n.language)}
          </time>
        </span>
        <span className="chat-row__bottom">
          <span className="chat-row__preview">
            {hasDraft ? (
              <>
                <span className="chat-row__draft-label">{t('chats.draftPrefix')}</span>
                <span dir="auto">{chat.draft.replace(/\s+/g, ' ')}</span>
              </>
            ) : last ? (
              <>
                {last.direction === 'out' && last.status ? <MessageTicks status={last.status} compact /> : null}
                {last.direction === 'out' ? <span className="chat-row__you">{t('chats.youPrefix')}</span> : null}
                <span dir="auto">{last.preview}</span>
              </>
            ) : (
              <span className="chat-row__placeholder">{chat.joinedAt ? t('chats.joined') : t('chats.noMessages')}</span>
            )}
          </span>
          {chat.unreadCount > 0 ? (
            <span className="badge">
              {chat.unreadCount > 999 ? '999+' : chat.unreadCount}
              <span className="visually-hidden"> {t('chats.unread', { count: chat.unreadCount })}</span>
            </span>
          ) : null}
        </span>
      </span>
    </button>
  );
});
