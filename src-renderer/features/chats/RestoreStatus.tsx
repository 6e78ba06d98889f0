import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';

/**
 * "Restoring your history from the archive: 3,400 of 10,000" above the chat list while a newly
 * linked device reads the account's archive (C5); gone once it is all in. Like CatchUpStatus, a
 * polite status region (named "Restoring history") with a progress bar, told after each page;
 * the chats fill in below it as it goes, and the app stays usable.
 */
export function RestoreStatus() {
  const { t, i18n } = useTranslation();
  const progress = useAppStore((state) => state.restore);
  if (progress === null || progress.done) return null;
  const numbers = new Intl.NumberFormat(i18n.language);
  const total = Math.max(progress.total, progress.restored);
  return (
    <div className="catch-up" role="status" aria-live="polite" aria-label={t('chats.restoreName')}>
      <p className="catch-up__text">{t('chats.restoreProgress', { restored: numbers.format(progress.restored), total: numbers.format(total) })}</p>
      <progress className="catch-up__bar" max={Math.max(total, 1)} value={total === 0 ? undefined : progress.restored} aria-label={t('chats.restoreBar')} />
    </div>
  );
}
