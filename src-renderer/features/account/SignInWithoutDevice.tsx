import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceSession } from '../../../src-shared/domain/devices';
import { usernameSchema } from '../../../src-shared/domain/ids';
import type { AccountState } from '../../../src-shared/ipc/account';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { ConfirmPrompt } from '../../ui/ConfirmPrompt';
import { DeviceIcon } from '../../ui/icons';
import { TextField } from '../../ui/TextField';
import { useNow } from '../../ui/useNow';
import { daysLine, systemLine } from '../devices/deviceWords';
import { AccountCard } from './AccountCard';
import { passwordProblem, usernameProblem, type FieldProblem } from './credentialRules';
import { useErrorText } from './useErrorText';

type Credentials = { username: string; password: string };

/**
 * Signing in by password on a machine that holds none of the account's keys (C5). The history
 * is sealed with keys only the account's devices hold, so this screen first names where the
 * account is still signed in and says that linking from one of them keeps the history; only
 * if the person confirms does it start the account over here (a new identity: the archive and
 * every other session are deleted, and contacts see a changed safety number).
 */
export function SignInWithoutDevice({ onSignedIn, onLink, onBack }: { onSignedIn(state: AccountState): void; onLink(): void; onBack(): void }) {
  const [found, setFound] = useState<{ credentials: Credentials; devices: DeviceSession[] } | null>(null);
  return found ? (
    <StartFreshChoice {...found} onSignedIn={onSignedIn} onLink={onLink} onBack={() => setFound(null)} />
  ) : (
    <PasswordStep onFound={(credentials, devices) => setFound({ credentials, devices })} onBack={onBack} />
  );
}

function PasswordStep({ onFound, onBack }: { onFound(credentials: Credentials, devices: DeviceSession[]): void; onBack(): void }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const say = (problem: FieldProblem | null) => (checked && problem ? t(problem.key, problem.values) : null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (busy || usernameProblem(username) || passwordProblem(password)) return;
    setBusy(true);
    setFailure(null);
    const answer = await bridge.account.devicesOfAccount({ username, password });
    setBusy(false);
    if (!answer.ok) return setFailure(answer.error);
    // As the server knows it ("@Alice" is alice), so the next screen names the account rightly.
    onFound({ username: usernameSchema.parse(username), password }, answer.value.devices);
  };

  return (
    <AccountCard title={t('noDevice.title')} lead={t('noDevice.lead')}>
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
          problem={say(usernameProblem(username))}
        />
        <TextField
          label={t('account.password.label')}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          problem={say(passwordProblem(password))}
        />
        <div className="account-form__alert" role="alert">
          {failure ? (failure.code === 'wrong_password' ? t('noDevice.wrongPassword') : errorText(failure)) : null}
        </div>
        <button type="submit" className="button button--primary button--wide" disabled={busy}>
          {t('noDevice.continue')}
        </button>
        <button type="button" className="button button--wide" onClick={onBack} disabled={busy}>
          {t('link.back')}
        </button>
      </form>
    </AccountCard>
  );
}

function StartFreshChoice({
  credentials,
  devices,
  onSignedIn,
  onLink,
  onBack,
}: {
  credentials: Credentials;
  devices: DeviceSession[];
  onSignedIn(state: AccountState): void;
  onLink(): void;
  onBack(): void;
}) {
  const bridge = useBridge();
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const now = useNow(60_000);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const startFreshButton = useRef<HTMLButtonElement>(null);
  /** The prompt is gone (cancelled, or the start failed): focus goes back to the button that opened it. */
  const closePrompt = () => {
    setConfirming(false);
    setTimeout(() => startFreshButton.current?.focus(), 0);
  };

  const startFresh = async () => {
    setBusy(true);
    setFailure(null);
    const answer = await bridge.account.startFresh(credentials);
    setBusy(false);
    if (!answer.ok) {
      setFailure(answer.error);
      return closePrompt();
    }
    onSignedIn({ status: 'signed_in', account: answer.value });
  };

  return (
    <AccountCard title={t('noDevice.historyTitle')} lead={t('noDevice.historyLead')}>
      <div className="account-form">
        {devices.length > 0 ? (
          <section aria-labelledby="still-signed-in">
            <h2 id="still-signed-in" className="account-form__subtitle">
              {t('noDevice.stillSignedIn', { username: credentials.username })}
            </h2>
            <ul className="known-devices" aria-labelledby="still-signed-in">
              {devices.map((device) => (
                <li key={device.deviceId} className="known-devices__item">
                  <DeviceIcon />
                  <span>
                    <span className="known-devices__name">{device.name}</span>
                    <span className="known-devices__detail">{systemLine(device, t)}</span>
                    <span className="known-devices__detail">{daysLine(device, now, i18n.language, t)}</span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p className="account-form__note">{t('noDevice.linkAdvice')}</p>
        <button type="button" className="button button--primary button--wide" onClick={onLink} disabled={busy}>
          {t('noDevice.linkInstead')}
        </button>
        <p className="account-form__or">{t('noDevice.noneLeft')}</p>
        <button ref={startFreshButton} type="button" className="button button--danger button--wide" onClick={() => setConfirming(true)} disabled={busy || confirming}>
          {t('noDevice.startFresh')}
        </button>
        {confirming ? (
          <ConfirmPrompt
            question={t('noDevice.confirm', { username: credentials.username })}
            confirmLabel={t('noDevice.confirmButton')}
            cancelLabel={t('noDevice.cancel')}
            busy={busy}
            onConfirm={() => void startFresh()}
            onCancel={closePrompt}
          />
        ) : null}
        <div className="account-form__alert" role="alert">
          {failure ? (failure.code === 'wrong_password' ? t('noDevice.wrongPassword') : errorText(failure)) : null}
        </div>
        <button type="button" className="button button--wide" onClick={onBack} disabled={busy}>
          {t('link.back')}
        </button>
      </div>
    </AccountCard>
  );
}
