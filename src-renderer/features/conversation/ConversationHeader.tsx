import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';
import { Avatar } from '../../ui/Avatar';
import { LockIcon } from '../../ui/icons';
import { SecretChatActions } from './SecretChatActions';

type Props = { conversationId: string; partyAccountId: string; name: string; username: string | null; secret: boolean };

/** Name, @username, whether they are typing (announced politely), and the secret chat actions (C4). */
export function ConversationHeader({ conversationId, partyAccountId, name, username, secret }: Props) {
  const { t } = useTranslation();
  const typing = useAppStore((state) => !secret && partyAccountId in state.typingUntil);
  return (
    <header className="conversation-header">
      <Avatar accountId={partyAccountId} name={name} size="medium" />
      <div className="conversation-header__text">
        <h2 className="conversation-header__name" dir="auto">
          {name}
        </h2>
        <p className="conversation-header__sub">
          {secret ? (
            <span className="secret-tag" title={t('secret.headerNote')}>
              <LockIcon />
              {t('secret.tag')}
            </span>
          ) : null}
          {username ? <span className="conversation-header__username">@{username}</span> : null}
          <span className="conversation-header__typing" aria-live="polite">
            {typing ? t('conversation.typing') : ''}
          </span>
        </p>
      </div>
      <SecretChatActions conversationId={conversationId} partyAccountId={partyAccountId} secret={secret} />
    </header>
  );
}
