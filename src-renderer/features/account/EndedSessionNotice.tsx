import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
// Not from '../../data': that would bring the whole history store into the first chunk.
import { deleteHistoryStore } from '../../data/deleteHistoryStore';

/**
 * Says why this profile is signed out: another device ended its session (A9). Main has already
 * deleted the vault and its keys; this deletes the account's history store in this window's
 * IndexedDB (again at every start until a new account is made: deleting one that is gone is a
 * no-op), so nothing of the account stays on the device.
 */
export function EndedSessionNotice({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    void deleteHistoryStore(accountId).catch(() => undefined); // retried at the next start
  }, [accountId]);
  return (
    <p className="account-notice" role="status">
      {t('account.sessionEnded')}
    </p>
  );
}
