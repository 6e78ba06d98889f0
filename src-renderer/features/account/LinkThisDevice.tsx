import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { LinkProgress } from '../../../src-shared/ipc/account';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { TextField } from '../../ui/TextField';
import { AccountCard } from './AccountCard';
import { passwordProblem } from './credentialRules';
import { useErrorText } from './useErrorText';

type Phase =
  | { status: 'checking' }
  | { status: 'password' }
  | { status: 'starting' }
  | (Extract<LinkProgress, { status: 'waiting' }> & { minutes: number })
  | { status: 'failed'; message: string };

/**
 * The new device's side of linking (C5): shows a link code (text to copy, and its QR code) that
 * a signed-in device of the account answers from Settings → Active sessions → Link a device.
 * Main waits for that answer and signs in (the account state changes); this screen only shows
 * the code, the wait, and a failure. Where the shell locks the profile with a password (the web
 * shell), that password is chosen first.
 */
export function LinkThisDevice({ onBack }: { onBack(): void }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [phase, setPhase] = useState<Phase>({ status: 'checking' });
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [copied, setCopied] = useState(false);

  const start = useCallback(
    async (withPassword?: string) => {
      setPhase({ status: 'starting' });
      setFailure(null);
      const answer = await bridge.account.startLink(withPassword === undefined ? {} : { password: withPassword });
      if (answer.ok) return setPhase({ ...answer.value, minutes: Math.max(1, Math.round((answer.value.expiresAt - Date.now()) / 60_000)) });
      setFailure(answer.error);
      setPhase(withPassword === undefined ? { status: 'failed', message: errorText(answer.error) } : { status: 'password' });
    },
    [bridge, errorText],
  );

  useEffect(() => {
    let current = true;
    void bridge.account.linkRequirements({}).then((answer) => {
      if (!current) return;
      if (answer.ok && answer.value.password) setPhase({ status: 'password' });
      else void start();
    });
    const stop = bridge.account.onDidChangeLink((progress) => {
      if (progress.status === 'failed' && progress.reason !== 'cancelled') setPhase({ status: 'failed', message: progress.message });
    });
    return () => {
      current = false;
      stop();
    };
  }, [bridge, start]);

  const cancel = async () => {
    await bridge.account.cancelLink({});
    onBack();
  };

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (passwordProblem(password)) return;
    void start(password);
  };

  const copy = async () => {
    if (!('code' in phase)) return;
    try {
      await navigator.clipboard.writeText(phase.code);
      setCopied(true);
    } catch {
      setCopied(false); // the text box stays selectable: the person copies by hand
    }
  };

  const problem = checked ? passwordProblem(password) : null;
  return (
    <AccountCard title={t('link.title')} lead={phase.status === 'waiting' ? t('link.waitingLead') : t('link.lead')}>
      {phase.status === 'password' || (phase.status === 'starting' && password !== '') ? (
        <form className="account-form" onSubmit={submitPassword} noValidate aria-busy={phase.status === 'starting' || undefined}>
          <TextField
            label={t('link.password')}
            name="password"
            type="password"
            autoComplete="new-password"
            autoFocus
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            hint={t('link.passwordHint', { min: LIMITS.passwordMinLength })}
            problem={problem ? t(problem.key, problem.values) : null}
          />
          <div className="account-form__alert" role="alert">
            {failure ? errorText(failure) : null}
          </div>
          <button type="submit" className="button button--primary button--wide" disabled={phase.status === 'starting'}>
            {t('link.showCode')}
          </button>
          <button type="button" className="button button--wide" onClick={onBack}>
            {t('link.back')}
          </button>
        </form>
      ) : phase.status === 'waiting' ? (
        <div className="account-form link-code">
          <svg className="link-code__qr" role="img" aria-label={t('link.qr')} viewBox={`0 0 ${phase.qr.size} ${phase.qr.size}`} shapeRendering="crispEdges">
            <rect width={phase.qr.size} height={phase.qr.size} fill="#ffffff" />
            <path d={phase.qr.path} fill="#000000" />
          </svg>
          <div className="field">
            <label className="field__label" htmlFor="link-code-text">
              {t('link.code')}
            </label>
            <textarea id="link-code-text" className="field__input link-code__text" readOnly rows={3} value={phase.code} onFocus={(event) => event.target.select()} />
          </div>
          <button type="button" className="button" onClick={() => void copy()}>
            {copied ? t('link.copied') : t('link.copy')}
          </button>
          <p className="settings-section__note" role="status">
            {t('link.waiting', { count: phase.minutes })}
          </p>
          <button type="button" className="button button--wide" onClick={() => void cancel()}>
            {t('link.cancel')}
          </button>
        </div>
      ) : phase.status === 'failed' ? (
        <div className="account-form">
          <div className="account-form__alert" role="alert">
            {phase.message}
          </div>
          <button type="button" className="button button--primary button--wide" onClick={() => (password ? void start(password) : void start())}>
            {t('link.again')}
          </button>
          <button type="button" className="button button--wide" onClick={onBack}>
            {t('link.back')}
          </button>
        </div>
      ) : (
        <p className="settings-section__note" role="status">
          {t('link.preparing')}
        </p>
      )}
    </AccountCard>
  );
}
