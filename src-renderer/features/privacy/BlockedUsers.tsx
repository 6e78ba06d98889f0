import { useLiveQuery } from 'dexie-react-hooks';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { getContact } from '../../data';
import { Avatar } from '../../ui/Avatar';
import { useErrorText } from '../account/useErrorText';
import { nameOf, shortAccountId } from '../chats/chatNames';
import { useSavedName } from '../chats/useSavedName';
import { useSession } from '../session/sessionContext';
import { useBlocking } from './useBlocking';

/** Privacy and security → **Blocked users** (B3): everyone I blocked, oldest first, each with **Unblock**. */
export function BlockedUsers({ blocked }: { blocked: string[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <div className="settings-group">
      <h4 id={titleId} className="settings-group__title">
        {t('blocking.listName')}
      </h4>
      <p className="settings-section__note">{t('blocking.lead')}</p>
      {blocked.length === 0 ? <p className="blocked-users__none">{t('blocking.none')}</p> : null}
      <ul className="blocked-users" aria-labelledby={titleId}>
        {blocked.map((accountId) => (
          <BlockedUser key={accountId} accountId={accountId} />
        ))}
      </ul>
    </div>
  );
}

function BlockedUser({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { store } = useSession();
  const errorText = useErrorText();
  const nameId = useId();
  const contact = useLiveQuery(() => getContact(store, accountId), [store, accountId]);
  const savedName = useSavedName(accountId);
  const name = nameOf(contact, savedName) ?? t('chats.unknownPerson', { id: shortAccountId(accountId) });
  const { busy, error, setBlocked } = useBlocking(accountId);
  return (
    <li className="blocked-users__item">
      <Avatar accountId={accountId} name={name} size="small" />
      <span id={nameId} className="blocked-users__name" dir="auto">
        {name}
        {contact?.username ? <span className="blocked-users__username">@{contact.username}</span> : null}
      </span>
      <button type="button" className="button button--small" aria-describedby={nameId} disabled={busy} onClick={() => void setBlocked(false)}>
        {t('blocking.unblock')}
      </button>
      {error ? (
        <p className="account-form__alert" role="alert">
          {errorText(error)}
        </p>
      ) : null}
    </li>
  );
}
