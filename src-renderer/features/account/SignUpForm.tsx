import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { AccountState } from '../../../src-shared/ipc/account';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { TextField } from '../../ui/TextField';
import { AccountCard } from './AccountCard';
import { EndedSessionNotice } from './EndedSessionNotice';
import { passwordProblem, usernameProblem, type FieldProblem } from './credentialRules';
import { useErrorText } from './useErrorText';

/**
 * A new profile's first screen (A1): a username and a password, nothing else. `endedSession`:
 * this profile's earlier session was ended from another device, which the screen says first.
 */
export function SignUpForm({
  onSignedIn,
  onLink,
  onSignInWithPassword,
  endedSession,
}: {
  onSignedIn(state: AccountState): void;
  /** "Link to an existing account" (C5): this device joins an account made elsewhere. */
  onLink(): void;
  /** "Sign in with your password": no device of the account at hand (SignInWithoutDevice). */
  onSignInWithPassword(): void;
  endedSession?: { accountId: string } | undefined;
}) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState({ username: false, password: false });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcError | null>(null);

  const usernameIssue = checked.username ? usernameProblem(username) : null;
  const passwordIssue = checked.password ? passwordProblem(password) : null;
  const say = (problem: FieldProblem | null) => (problem ? t(problem.key, problem.values) : null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked({ username: true, password: true });
    if (busy || usernameProblem(username) || passwordProblem(password)) return;
    setBusy(true);
    setFailure(null);
    const answer = await bridge.account.register({ username, password });
    setBusy(false);
    if (!answer.ok) return setFailure(answer.error);
    onSignedIn({ status: 'signed_in', account: answer.value });
  };

  return (
    <AccountCard title={t('account.signUpTitle')} lead={t('account.signUpLead')}>
      {endedSession ? <EndedSessionNotice accountId={endedSession.accountId} /> : null}
      <form className="account-form" onSubmit={(event) => void submit(event)} noValidate aria-busy={busy || undefined}>
        <TextField
          label={t('account.username.label')}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          onBlur={() => username !== '' && setChecked((value) => ({ ...value, username: true }))}
          hint={t('account.username.hint', { min: LIMITS.usernameMinLength, max: LIMITS.usernameMaxLength })}
          problem={say(usernameIssue)}
        />
        <TextField
          label={t('account.password.label')}
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          onBlur={() => password !== '' && setChecked((value) => ({ ...value, password: true }))}
          hint={t('account.password.hint', { min: LIMITS.passwordMinLength })}
          problem={say(passwordIssue)}
        />
        <div className="account-form__alert" role="alert">
          {failure ? errorText(failure) : null}
        </div>
        <button type="submit" className="button button--primary button--wide" disabled={busy}>
          {t('account.createAccount')}
        </button>
        <p className="account-form__or">{t('account.haveAccount')}</p>
        <button type="button" className="button button--wide" onClick={onLink} disabled={busy}>
          {t('account.linkExisting')}
        </button>
        <p className="account-form__or">{t('noDevice.lostDevices')}</p>
        <button type="button" className="button button--wide" onClick={onSignInWithPassword} disabled={busy}>
          {t('noDevice.open')}
        </button>
      </form>
    </AccountCard>
  );
}
