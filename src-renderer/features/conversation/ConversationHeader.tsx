import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';
import { Avatar } from '../../ui/Avatar';

/** Name, @username and whether they are typing (announced politely). */
export function ConversationHeader({ conversationId, name, username }: { conversationId: string; name: string; username: string | null }) {
  const { t } = useTranslation();
  const typing = useAppStore((state) => conversationId in state.typingUntil);
  return (
    <header className="conversation-header">
      <Avatar accountId={conversationId} name={name} size="medium" />
      <div className="conversation-header__text">
        <h2 className="conversation-header__name" dir="auto">
          {name}
        </h2>
        <p className="conversation-header__sub">
          {username ? <span className="conversation-header__username">@{username}</span> : null}
          <span className="conversation-header__typing" aria-live="polite">
            {typing ? t('conversation.typing') : ''}
          </span>
        </p>
      </div>
    </header>
  );
}
