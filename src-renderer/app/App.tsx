import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { ParleyBridge } from '../../src-shared/ipc/bridge';
import { SignInForm } from '../features/account/SignInForm';
import { SignUpForm } from '../features/account/SignUpForm';
import { useAccountState } from '../features/account/useAccountState';
import { useErrorText } from '../features/account/useErrorText';
import { StatusScreen } from '../ui/StatusScreen';
import { AppContext } from './appContext';
import type { AppStore } from './appStore';
import type { SignedInApp as SignedInAppComponent } from './SignedInApp';
import { readBootTheme, useAppliedTheme } from './theme';

export type AppProps = { bridge: ParleyBridge; store: AppStore; i18n: I18n };

/**
 * The signed-in app (the history store, the chat list, the conversation) is a chunk of its own,
 * fetched while the sign-in screen shows: the first screen waits only for the code it runs.
 * Once fetched it renders directly: suspending on it would show the fallback, and React keeps a
 * fallback on screen for at least 300 ms.
 */
let loadedSignedInApp: typeof SignedInAppComponent | undefined;
const loadSignedInApp = () => import('./SignedInApp').then((module) => (loadedSignedInApp = module.SignedInApp));
const LazySignedInApp = lazy(() => loadSignedInApp().then((component) => ({ default: component })));

/** The whole renderer, given its bridge, UI store and strings (tests give their own). */
export function App({ bridge, store, i18n }: AppProps) {
  const context = useMemo(() => ({ bridge, store }), [bridge, store]);
  return (
    <I18nextProvider i18n={i18n}>
      <AppContext.Provider value={context}>
        <AccountGate />
      </AppContext.Provider>
    </I18nextProvider>
  );
}

/** Sign up, sign in, or the signed-in app, as the account's state says. */
function AccountGate() {
  const { phase, accept, retry } = useAccountState();
  const { t } = useTranslation();
  const errorText = useErrorText();
  useEffect(() => {
    // After the first screen has painted: the signed-in app is what is wanted next. A failed
    // fetch here is not an error yet: signing in asks for the chunk again (through Suspense).
    const timer = setTimeout(() => void loadSignedInApp().catch(() => undefined), 0);
    return () => clearTimeout(timer);
  }, []);
  switch (phase.status) {
    case 'loading':
      return <WithBootTheme><StatusScreen busy title={t('app.starting')} /></WithBootTheme>;
    case 'unavailable':
      return (
        <WithBootTheme>
          <StatusScreen title={t('app.unavailable')} detail={errorText(phase.error)}>
            <button type="button" className="button button--primary" onClick={retry}>
              {t('app.retry')}
            </button>
          </StatusScreen>
        </WithBootTheme>
      );
    case 'signed_out':
      return <WithBootTheme><SignUpForm onSignedIn={accept} /></WithBootTheme>;
    case 'locked':
      return <WithBootTheme><SignInForm username={phase.username} onSignedIn={accept} /></WithBootTheme>;
    case 'signed_in': {
      // The session applies the theme kept in the history (features/settings/SessionTheme).
      const SignedInApp = loadedSignedInApp;
      if (SignedInApp) return <SignedInApp account={phase.account} />;
      return (
        <Suspense fallback={<WithBootTheme><StatusScreen busy title={t('app.starting')} /></WithBootTheme>}>
          <LazySignedInApp account={phase.account} />
        </Suspense>
      );
    }
  }
}

/** Before the history is open, the theme is the one remembered for the first paint. */
function WithBootTheme({ children }: { children: ReactNode }) {
  const [choice] = useState(readBootTheme);
  useAppliedTheme(choice);
  return children;
}
