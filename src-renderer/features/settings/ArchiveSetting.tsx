import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { ConfirmPrompt } from '../../ui/ConfirmPrompt';
import { useErrorText } from '../account/useErrorText';

type State = { status: 'loading' } | { status: 'ready'; enabled: boolean } | { status: 'failed'; error: IpcError };

/**
 * Settings → "Keep an encrypted archive on the server" (C5, C7): on by default. The server says
 * how it stands (another device may have switched it). Switching it off deletes the archive for
 * every device of the account, so it asks first; switching it on is one click.
 */
export function ArchiveSetting() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const noteId = useId();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const checkbox = useRef<HTMLInputElement>(null);
  /** The prompt is gone: focus goes back to the checkbox it came from (enabled again on the next render). */
  const closePrompt = () => {
    setConfirming(false);
    setTimeout(() => checkbox.current?.focus(), 0);
  };

  useEffect(() => {
    let live = true;
    void bridge.archive.getSettings({}).then((answer) => {
      if (live) setState(answer.ok ? { status: 'ready', enabled: answer.value.enabled } : { status: 'failed', error: answer.error });
    });
    return () => {
      live = false;
    };
  }, [bridge]);

  const apply = async (enabled: boolean) => {
    setBusy(true);
    setError(null);
    const answer = await bridge.archive.setEnabled({ enabled });
    setBusy(false);
    closePrompt();
    if (answer.ok) setState({ status: 'ready', enabled });
    else setError(answer.error);
  };

  const enabled = state.status === 'ready' && state.enabled;
  return (
    <div className="archive-setting">
      <label className="settings-check">
        <input
          ref={checkbox}
          type="checkbox"
          checked={enabled}
          disabled={state.status !== 'ready' || busy || confirming}
          aria-describedby={noteId}
          onChange={(event) => (event.target.checked ? void apply(true) : setConfirming(true))}
        />
        <span>{t('archive.keep')}</span>
      </label>
      <p id={noteId} className="settings-section__note">
        {t('archive.note')}
      </p>
      {confirming ? (
        <ConfirmPrompt
          question={t('archive.confirmOff')}
          confirmLabel={t('archive.confirm')}
          cancelLabel={t('archive.cancel')}
          busy={busy}
          onConfirm={() => void apply(false)}
          onCancel={closePrompt}
        />
      ) : null}
      {state.status === 'failed' || error ? (
        <p className="account-form__alert" role="alert">
          {errorText(error ?? (state as { error: IpcError }).error)}
        </p>
      ) : null}
    </div>
  );
}
