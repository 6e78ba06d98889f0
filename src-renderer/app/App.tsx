import { useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { ParleyBridge } from '../../src-shared/ipc/bridge';
import { LinkThisDevice } from '../features/account/LinkThisDevice';
import { SignInForm } from '../features/account/SignInForm';
import { SignInWithoutDevice } from '../features/account/SignInWithoutDevice';
import { SignUpForm } from '../features/account/SignUpForm';
import { useAccountState } from '../features/account/useAccountState';
import { useErrorText } from '../features/account/useErrorText';
import { StatusScreen } from '../ui/StatusScreen';
import { AppContext } from './appContext';
import type { AppStore } from './appStore';
import { loadSignedInApp, SignedInAppLoader } from './SignedInAppLoader';
import { WithBootTheme } from './WithBootTheme';

export type AppProps = { bridge: ParleyBridge; store: AppStore; i18n: I18n };

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
  // The screen the person chose on the welcome screen ("Link to an existing account", "Sign in
  // with your password"), and the state they chose it in: any change of state (signed in, or
  // signed out again later) brings the welcome screen back first.
  const [chosen, setChosen] = useState<{ screen: 'link' | 'password'; from: typeof phase } | null>(null);
  const showing = chosen?.from === phase ? chosen.screen : 'welcome';
  const { t } = useTranslation();
  const errorText = useErrorText();
  useEffect(() => {
    // After the first screen (the starting screen) has painted: the signed-in app is what is
    // wanted next. A failed fetch here is no error yet: signing in asks for the chunk again.
    const timer = setTimeout(() => void loadSignedInApp().catch(() => undefined), 0);
    return () => clearTimeout(timer);
  }, []);
  const starting = <WithBootTheme><StatusScreen busy title={t('app.starting')} /></WithBootTheme>;
  switch (phase.status) {
    case 'loading':
      return starting;
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
      return (
        <WithBootTheme>
          {showing === 'link' ? (
            <LinkThisDevice onBack={() => setChosen(null)} />
          ) : showing === 'password' ? (
            <SignInWithoutDevice onSignedIn={accept} onLink={() => setChosen({ screen: 'link', from: phase })} onBack={() => setChosen(null)} />
          ) : (
            <SignUpForm
              onSignedIn={accept}
              onLink={() => setChosen({ screen: 'link', from: phase })}
              onSignInWithPassword={() => setChosen({ screen: 'password', from: phase })}
              endedSession={phase.endedSession}
            />
          )}
        </WithBootTheme>
      );
    case 'locked':
      return <WithBootTheme><SignInForm username={phase.username} onSignedIn={accept} /></WithBootTheme>;
    case 'signed_in':
      // The session applies the theme kept in the history (features/settings/SessionTheme).
      return <SignedInAppLoader account={phase.account} fallback={starting} />;
  }
}
