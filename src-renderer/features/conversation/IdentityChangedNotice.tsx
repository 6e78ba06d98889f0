import { useTranslation } from 'react-i18next';
import { dismissIdentityChange } from '../../data';
import { dayLabel } from '../../ui/dates';
import { useNow } from '../../ui/useNow';
import { useSession } from '../session/sessionContext';

/**
 * Above the composer while the other party's identity key is new (they started over on a new
 * device, C5): their safety number with me changed, and a message sent now goes to the new key.
 * It stays until dismissed.
 */
export function IdentityChangedNotice({ conversationId, name, changedAt }: { conversationId: string; name: string; changedAt: number }) {
  const { t, i18n } = useTranslation();
  const { store } = useSession();
  const now = useNow(60_000);
  const label = dayLabel(changedAt, now, i18n.language);
  const day = 'relative' in label ? t(`devices.${label.relative}`) : label.text;
  return (
    <div className="identity-notice" role="note" aria-label={t('conversation.identityChangedName')}>
      <p className="identity-notice__text">{t('conversation.identityChanged', { name, day })}</p>
      <button type="button" className="button" onClick={() => void dismissIdentityChange(store, conversationId)}>
        {t('conversation.identityChangedDismiss')}
      </button>
    </div>
  );
}
