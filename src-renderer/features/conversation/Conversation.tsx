import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { getChat, partyOf } from '../../data';
import { useAppStore } from '../../app/appContext';
import { nameOf, shortAccountId } from '../chats/chatNames';
import { useSavedName } from '../chats/useSavedName';
import { Composer } from '../composer/Composer';
import { useSession } from '../session/sessionContext';
import { ConversationHeader } from './ConversationHeader';
import { IdentityChangedNotice } from './IdentityChangedNotice';
import { MessageLog } from './MessageLog';
import { useMarkReadWhileVisible } from './useMarkReadWhileVisible';

/** The right pane for one chat: who, the messages, the composer. */
export function Conversation({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { store } = useSession();
  const chat = useLiveQuery(() => getChat(store, conversationId), [store, conversationId]);
  const focus = useAppStore((state) => (state.messageFocus?.conversationId === conversationId ? state.messageFocus : null));
  useMarkReadWhileVisible(conversationId, chat?.unreadCount ?? 0);

  const username = chat?.contact?.username ?? null;
  const secret = chat?.secret !== undefined;
  const party = chat ? partyOf(chat) : conversationId;
  const blocked = useAppStore((state) => state.preferences?.blocked.includes(party) ?? false);
  const savedName = useSavedName(party);
  const name = nameOf(chat?.contact, savedName) ?? t('chats.unknownPerson', { id: shortAccountId(party) });
  return (
    <section className="conversation" aria-label={t('conversation.regionName', { name })}>
      <ConversationHeader conversationId={conversationId} partyAccountId={party} name={name} username={username} secret={secret} avatar={chat?.contact?.avatar} />
      <MessageLog key={focus?.serial ?? 0} conversationId={conversationId} focus={focus?.position ?? null} contactName={name} />
      {chat?.identityChangedAt ? <IdentityChangedNotice conversationId={conversationId} name={name} changedAt={chat.identityChangedAt} /> : null}
      {blocked ? (
        <p className="composer composer--blocked">{t('blocking.composerNote', { name })}</p>
      ) : chat === undefined ? (
        <div className="composer composer--placeholder" />
      ) : (
        <Composer conversationId={conversationId} savedDraft={chat?.draft} contactName={name} secret={secret} />
      )}
    </section>
  );
}
