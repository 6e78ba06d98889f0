import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountState } from '../../../src-shared/ipc/account';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { TextField } from '../../ui/TextField';
import { AccountCard } from './AccountCard';
import { useErrorText } from './useErrorText';

/** A registered profile whose vault is locked: its password opens it. */
export function SignInForm({ username, onSignedIn }: { username: string; onSignedIn(state: AccountState): void }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (password === '') return setMissing(true);
    setBusy(true);
    setFailure(null);
    const answer = await bridge.account.unlock({ password });
    setBusy(false);
    if (!answer.ok) return setFailure(answer.error);
    onSignedIn({ status: 'signed_in', account: answer.value });
  };

  return (
    <AccountCard title={t('account.signInTitle')} lead={t('account.signInLead', { username })}>
      <form className="account-form" onSubmit={(event) => void submit(event)} noValidate aria-busy={busy || undefined}>
        <TextField label={t('account.username.label')} name="username" autoComplete="username" value={username} readOnly />
        <TextField
          label={t('account.password.label')}
          name="password"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            setMissing(false);
          }}
          problem={missing ? t('account.password.required') : null}
        />
        <div className="account-form__alert" role="alert">
          {failure ? errorText(failure) : null}
        </div>
        <button type="submit" className="button button--primary button--wide" disabled={busy}>
          {t('account.signIn')}
        </button>
      </form>
    </AccountCard>
  );
}
