import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';
import { Avatar } from '../../ui/Avatar';
import { LockIcon } from '../../ui/icons';
import { SecretChatActions } from './SecretChatActions';
import { BlockAction } from '../privacy/BlockAction';
import { RenameContact } from './RenameContact';
import { ContactToggle } from '../contacts/ContactToggle';
import { useSession } from '../session/sessionContext';

type Props = { conversationId: string; partyAccountId: string; name: string; username: string | null; secret: boolean; avatar?: string | undefined };

/**
 * Their avatar (A4), name, @username, whether they are typing (announced politely), Add to /
 * Remove from contacts (B2), Rename contact (A5), Block / Unblock (B3), and the secret chat actions (C4).
 */
export function ConversationHeader({ conversationId, partyAccountId, name, username, secret, avatar }: Props) {
  const { t } = useTranslation();
  const typing = useAppStore((state) => !secret && partyAccountId in state.typingUntil);
  const blocked = useAppStore((state) => state.preferences?.blocked.includes(partyAccountId) ?? false);
  const { account } = useSession();
  return (
    <header className="conversation-header">
      <Avatar accountId={partyAccountId} name={name} size="medium" image={avatar} />
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
      <div className="conversation-header__actions">
        {partyAccountId === account.accountId || secret ? null : <ContactToggle accountId={partyAccountId} />}
        {partyAccountId === account.accountId ? null : <RenameContact accountId={partyAccountId} shownName={name} />}
        {partyAccountId === account.accountId ? null : <BlockAction accountId={partyAccountId} name={name} />}
        {blocked ? null : <SecretChatActions conversationId={conversationId} partyAccountId={partyAccountId} secret={secret} />}
      </div>
    </header>
  );
}
