import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkedDevicePreview } from '../../../src-shared/ipc/devices';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { ConfirmPrompt } from '../../ui/ConfirmPrompt';
import { directoryForLink } from '../../data';
import { useErrorText } from '../account/useErrorText';
import { useSession } from '../session/sessionContext';

/**
 * Active sessions → Link a device (C5): paste the new device's link code, see its name and
 * platform, confirm; main then hands that device the account, and this device's contacts and
 * chat list (sealed to the code's key).
 */
export function LinkDeviceForm({ onLinked, onClose }: { onLinked(preview: LinkedDevicePreview): void; onClose(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const { store } = useSession();
  const errorText = useErrorText();
  const [code, setCode] = useState('');
  const [preview, setPreview] = useState<LinkedDevicePreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcError | null>(null);

  const inspect = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    if (code.trim() === '') return setFailure({ code: 'invalid_argument', message: t('devices.linkCodeEmpty') });
    setBusy(true);
    const answer = await bridge.devices.inspectLinkCode({ code: code.trim() });
    setBusy(false);
    if (!answer.ok) return setFailure(answer.error);
    setPreview(answer.value);
  };

  const confirm = async () => {
    setBusy(true);
    // The contacts and chat list go with the keys; a history that cannot be read does not stop the link.
    const directory = await directoryForLink(store).catch(() => undefined);
    const answer = await bridge.devices.link({ code: code.trim(), ...(directory && { directory }) });
    setBusy(false);
    setPreview(null);
    if (!answer.ok) return setFailure(answer.error);
    onLinked(answer.value);
  };

  return (
    <form
      className="device-rename"
      onSubmit={(event) => void inspect(event)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || preview) return;
        event.stopPropagation();
        onClose();
      }}
      noValidate
    >
      <div className="field">
        <label className="field__label" htmlFor="link-a-device-code">
          {t('devices.linkCode')}
        </label>
        <textarea
          id="link-a-device-code"
          className="field__input link-code__text"
          rows={3}
          autoFocus
          spellCheck={false}
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
            setPreview(null);
          }}
          aria-describedby="link-a-device-hint"
        />
        <p id="link-a-device-hint" className="field__note">
          {t('devices.linkHint')}
        </p>
      </div>
      <div role="alert" className="account-form__alert">
        {failure ? errorText(failure) : null}
      </div>
      {preview ? (
        <ConfirmPrompt
          question={t('devices.confirmLink', { name: preview.name, platform: t(`devices.platforms.${preview.platform}`) })}
          confirmLabel={t('devices.confirm')}
          cancelLabel={t('devices.cancel')}
          busy={busy}
          danger={false}
          onConfirm={() => void confirm()}
          onCancel={() => setPreview(null)}
        />
      ) : (
        <div className="confirm-prompt__actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t('devices.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('devices.link')}
          </button>
        </div>
      )}
    </form>
  );
}
