import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';

/**
 * "Receiving 3,400 of 10,000" above the chat list while the messages queued for this device
 * arrive after a connect; gone once they are in. A polite status region (named "Receiving
 * messages") with a progress bar; main reports a few times a second at most, so a screen
 * reader is not flooded.
 */
export function CatchUpStatus() {
  const { t, i18n } = useTranslation();
  const progress = useAppStore((state) => state.catchUp);
  if (progress === null || progress.done || progress.total === 0) return null;
  const numbers = new Intl.NumberFormat(i18n.language);
  return (
    <div className="catch-up" role="status" aria-live="polite" aria-label={t('chats.catchUpName')}>
      <p className="catch-up__text">
        {t('chats.catchUpProgress', { received: numbers.format(progress.received), total: numbers.format(progress.total) })}
      </p>
      <progress className="catch-up__bar" max={progress.total} value={progress.received} aria-label={t('chats.catchUpBar')} />
    </div>
  );
}
