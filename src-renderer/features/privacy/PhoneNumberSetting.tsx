import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PHONE_INPUT_MAX } from '../../../src-shared/domain/phoneNumber';
import type { PhoneNumberState } from '../../../src-shared/protocol/phone';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { TextField } from '../../ui/TextField';
import { useErrorText } from '../account/useErrorText';

type Step = { step: 'loading' } | { step: 'none' } | { step: 'code'; number: string } | { step: 'have'; phone: PhoneNumberState };

/**
 * Privacy and security → Phone number (A1, A3, H3): optional. Add one with a code by SMS, let
 * people find me by it or not, remove it in one click. The server keeps it only as a keyed hash
 * and sealed, and shows it to nobody but me.
 */
export function PhoneNumberSetting() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const [step, setStep] = useState<Step>({ step: 'loading' });
  const [number, setNumber] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const titleId = useId();
  const noteId = useId();

  useEffect(() => {
    let live = true;
    void bridge.phone.get({}).then((answer) => {
      if (!live) return;
      if (answer.ok) setStep(answer.value ? { step: 'have', phone: answer.value } : { step: 'none' });
      else {
        setStep({ step: 'none' });
        setError(answer.error);
      }
    });
    return () => {
      live = false;
    };
  }, [bridge]);

  const run = async <T,>(work: () => Promise<{ ok: true; value: T } | { ok: false; error: IpcError }>, then: (value: T) => void) => {
    setBusy(true);
    setError(null);
    const answer = await work();
    setBusy(false);
    if (answer.ok) then(answer.value);
    else setError(answer.error);
  };

  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    void run(() => bridge.phone.sendCode({ number }), (sent) => {
      setCode('');
      setStep({ step: 'code', number: sent.number });
    });
  };
  const verify = (event: FormEvent) => {
    event.preventDefault();
    void run(() => bridge.phone.verify({ code }), (phone) => setStep({ step: 'have', phone }));
  };
  const remove = () =>
    void run(() => bridge.phone.remove({}), () => {
      setNumber('');
      setStep({ step: 'none' });
    });
  const setDiscoverable = (discoverable: boolean) => void run(() => bridge.phone.setDiscoverable({ discoverable }), (phone) => setStep({ step: 'have', phone }));

  const have = step.step === 'have' ? step.phone : null;
  return (
    <section className="settings-group" aria-labelledby={titleId}>
      <h4 id={titleId} className="settings-group__title">
        {t('phone.title')}
      </h4>
      {step.step === 'none' || step.step === 'loading' ? (
        <form className="phone-form" onSubmit={sendCode}>
          <TextField
            label={t('phone.number')}
            type="tel"
            autoComplete="tel"
            inputMode="tel"
            placeholder="+44 20 7946 0958"
            maxLength={PHONE_INPUT_MAX}
            value={number}
            disabled={step.step === 'loading'}
            hint={t('phone.numberHint')}
            onChange={(event) => setNumber(event.target.value)}
          />
          <button type="submit" className="button" disabled={busy || number.trim() === ''}>
            {t('phone.sendCode')}
          </button>
        </form>
      ) : null}
      {step.step === 'code' ? (
        <form className="phone-form" onSubmit={verify}>
          <p className="settings-section__note" role="status">
            {t('phone.codeSent', { number: step.number })}
          </p>
          <TextField label={t('phone.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(event) => setCode(event.target.value)} />
          <div className="phone-form__actions">
            <button type="submit" className="button button--primary" disabled={busy || code.trim().length !== 6}>
              {t('phone.verify')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => setStep({ step: 'none' })}>
              {t('phone.otherNumber')}
            </button>
          </div>
        </form>
      ) : null}
      {have ? (
        <div className="phone-form">
          <p className="phone-form__number" dir="ltr">
            {have.number}
          </p>
          <button type="button" className="button button--danger-outline" disabled={busy} onClick={remove}>
            {t('phone.remove')}
          </button>
        </div>
      ) : null}
      <label className="settings-check">
        <input type="checkbox" checked={have?.discoverable ?? true} disabled={!have || busy} aria-describedby={noteId} onChange={(event) => setDiscoverable(event.target.checked)} />
        <span>{t('phone.findMe')}</span>
      </label>
      <p id={noteId} className="settings-section__note">
        {have ? t('phone.findMeNote') : t('phone.findMeNoNumber')}
      </p>
      {error ? (
        <p className="account-form__alert" role="alert">
          {errorText(error)}
        </p>
      ) : null}
    </section>
  );
}
