import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSummary } from '../../src-shared/ipc/account';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { StatusScreen } from '../ui/StatusScreen';
import type { SignedInApp as SignedInAppComponent } from './SignedInApp';
import { WithBootTheme } from './WithBootTheme';

/**
 * The signed-in app (the history store, the chat list, the conversation) is a chunk of its own:
 * the first screens wait only for the code they run. `loadSignedInApp` fetches it (the app does
 * so once its first screen has painted); once it has arrived, the loader renders it directly.
 * Suspending on it instead would show the fallback, and React keeps a fallback on screen for at
 * least 300 ms.
 */
let loaded: typeof SignedInAppComponent | undefined;

export const loadSignedInApp = () => import('./SignedInApp').then((module) => (loaded = module.SignedInApp));

const LazySignedInApp = lazy(() => loadSignedInApp().then((component) => ({ default: component })));

export function SignedInAppLoader({ account, fallback }: { account: AccountSummary; fallback: ReactNode }) {
  // Decided once per mount: switching from the lazy element to the loaded one would remount the session.
  const [Loaded] = useState(() => loaded);
  if (Loaded) return <Loaded account={account} />;
  return (
    <ErrorBoundary event="renderer.chunk_failed" fallback={() => <ChunkFailed />}>
      <Suspense fallback={fallback}>
        <LazySignedInApp account={account} />
      </Suspense>
    </ErrorBoundary>
  );
}

/**
 * The chunk could not be fetched (its file replaced by an update while the window was open, the
 * web shell gone): a whole-window message with Reload, never a blank window. A reload fetches
 * the page and its chunks again; main still holds the session, so the app comes back as it was.
 */
function ChunkFailed() {
  const { t } = useTranslation();
  return (
    <WithBootTheme>
      <StatusScreen title={t('app.partMissing')} detail={t('app.partMissingDetail')}>
        <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
          {t('app.reload')}
        </button>
      </StatusScreen>
    </WithBootTheme>
  );
}
