import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';
import { useErrorText } from '../account/useErrorText';
import { usePreferenceChange } from '../privacy/usePreferenceChange';

/**
 * The chat header's **Add to contacts** / **Remove from contacts** (B2): my contacts are kept on
 * my devices and synced between them end to end. "My contacts" in the privacy settings means
 * them: adding someone may give them my avatar (A4), removing them takes it back.
 */
export function ContactToggle({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const isContact = useAppStore((state) => state.preferences?.contacts.includes(accountId) ?? false);
  const known = useAppStore((state) => state.preferences !== null);
  const { busy, error, change } = usePreferenceChange();
  const toggle = () => change({ key: 'contact', accountId, value: !isContact });

  return (
    <div className="contact-toggle">
      <button type="button" className="button button--small" disabled={!known || busy} onClick={() => void toggle()}>
        {t(isContact ? 'contacts.remove' : 'contacts.add')}
      </button>
      {error ? (
        <p className="account-form__alert" role="alert">
          {errorText(error)}
        </p>
      ) : null}
    </div>
  );
}
