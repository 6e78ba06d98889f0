import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSummary } from '../../../src-shared/ipc/account';
import { useAppStoreApi, useBridge } from '../../app/appContext';
import { StatusScreen } from '../../ui/StatusScreen';
import { openSessionStore, type OpenedStore } from './openSessionStore';
import { SessionContext } from './sessionContext';
import { startSession, type Session } from './startSession';

type Phase = { status: 'opening' } | { status: 'open'; session: Session } | { status: 'failed'; reason: Exclude<OpenedStore, { ok: true }>['reason'] };

/** Opens the account's history and runs its session for as long as the account stays signed in. */
export function SignedInSession({ account, children }: { account: AccountSummary; children: ReactNode }) {
  const bridge = useBridge();
  const appStore = useAppStoreApi();
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ status: 'opening' });

  useEffect(() => {
    let cancelled = false;
    let session: Session | null = null;
    performance.mark('parley.history.opening');
    void openSessionStore(bridge, account.accountId).then((opened) => {
      performance.mark('parley.history.opened');
      if (!opened.ok) {
        if (!cancelled) setPhase({ status: 'failed', reason: opened.reason });
        return;
      }
      if (cancelled) return opened.store.close();
      session = startSession({ bridge, store: opened.store, account, appStore });
      setPhase({ status: 'open', session });
    });
    return () => {
      cancelled = true;
      if (session) {
        session.stop();
        const closing = session;
        // Writes already queued finish before the database closes.
        void closing.writer.idle().then(() => closing.store.close());
      }
    };
  }, [bridge, account, appStore]);

  if (phase.status === 'opening') return <StatusScreen busy title={t('session.opening')} />;
  if (phase.status === 'failed') {
    const detail = phase.reason === 'wrong_key' ? t('session.wrongKey') : t('session.openFailed', { reason: phase.reason });
    return <StatusScreen title={t('session.failedTitle')} detail={detail} />;
  }
  return <SessionContext.Provider value={phase.session}>{children}</SessionContext.Provider>;
}
