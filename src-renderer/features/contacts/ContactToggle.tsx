import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useAppStore, useBridge } from '../../app/appContext';
import { useErrorText } from '../account/useErrorText';

/**
 * The chat header's **Add to contacts** / **Remove from contacts** (B2): my contacts are kept on
 * my devices and synced between them end to end. "My contacts" in the privacy settings means
 * them: adding someone may give them my avatar (A4), removing them takes it back.
 */
export function ContactToggle({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const isContact = useAppStore((state) => state.preferences?.contacts.includes(accountId) ?? false);
  const known = useAppStore((state) => state.preferences !== null);
  const setPreferences = useAppStore((state) => state.setPreferences);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const toggle = async () => {
    setBusy(true);
    setError(null);
    const answer = await bridge.preferences.change({ changes: [{ key: 'contact', accountId, value: !isContact }] });
    setBusy(false);
    if (answer.ok) setPreferences(answer.value);
    else setError(answer.error);
  };

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
