import { useTranslation } from 'react-i18next';
import { Avatar } from '../../ui/Avatar';
import { useSession } from '../session/sessionContext';

/** Settings → Profile: who I am to the people I write to. */
export function ProfileSection() {
  const { t } = useTranslation();
  const { account } = useSession();
  return (
    <div className="settings-account">
      <Avatar accountId={account.accountId} name={account.username} size="large" />
      <div>
        <p className="settings-account__name">{account.username}</p>
        <p className="settings-account__username">@{account.username}</p>
        <p className="settings-section__note">{t('settings.profileNote')}</p>
      </div>
    </div>
  );
}
