import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { deviceNameSchema } from '../../../src-shared/domain/devices';
import type { DeviceListItem } from '../../../src-shared/ipc/devices';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { ConfirmPrompt } from '../../ui/ConfirmPrompt';
import { DeviceIcon } from '../../ui/icons';
import { TextField } from '../../ui/TextField';
import { useErrorText } from '../account/useErrorText';
import { daysLine, systemLine } from './deviceWords';

type Props = { device: DeviceListItem; now: number; busy: boolean; onTerminate(): Promise<void>; onRenamed(): Promise<void> };

/** One device in Active sessions: its name, system and days; Rename for this device, Terminate (confirmed) for the others. */
export function DeviceItem({ device, now, busy, onTerminate, onRenamed }: Props) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const finishRename = async (renamed: boolean) => {
    if (renamed) await onRenamed();
    setRenaming(false);
  };
  return (
    <li className="device-item" aria-label={device.name}>
      <DeviceIcon className="device-item__icon" />
      <div className="device-item__body">
        <p className="device-item__name">
          {device.name}
          {device.thisDevice ? <span className="device-item__badge">{t('devices.thisDevice')}</span> : null}
        </p>
        <p className="device-item__detail">{systemLine(device, t)}</p>
        <p className="device-item__detail">{daysLine(device, now, i18n.language, t)}</p>
        {renaming ? <RenameForm device={device} onDone={(renamed) => finishRename(renamed)} /> : null}
        {confirming ? (
          <ConfirmPrompt
            question={t('devices.confirmTerminate', { name: device.name })}
            confirmLabel={t('devices.confirm')}
            cancelLabel={t('devices.cancel')}
            busy={busy}
            onConfirm={() => void onTerminate().then(() => setConfirming(false))}
            onCancel={() => setConfirming(false)}
          />
        ) : null}
      </div>
      {device.thisDevice ? (
        renaming ? null : (
          <button type="button" className="button button--small" onClick={() => setRenaming(true)}>
            {t('devices.rename')}
          </button>
        )
      ) : confirming ? null : (
        <button type="button" className="button button--small button--danger-outline" disabled={busy} onClick={() => setConfirming(true)}>
          {t('devices.terminate')}
        </button>
      )}
    </li>
  );
}

/** Renames this device: checked here with the server's own rule, then sent. */
function RenameForm({ device, onDone }: { device: DeviceListItem; onDone(renamed: boolean): Promise<void> }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const [name, setName] = useState(device.name);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = deviceNameSchema.safeParse(name);
    if (!checked.success) return setProblem(t(name.trim() === '' ? 'devices.nameEmpty' : 'devices.nameInvalid'));
    setProblem(null);
    setBusy(true);
    const answer = await bridge.devices.renameThisDevice({ name: checked.data });
    setBusy(false);
    if (!answer.ok) return setFailure(answer.error);
    await onDone(true);
  };

  return (
    <form
      className="device-rename"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        void onDone(false);
      }}
      noValidate
    >
      <TextField label={t('devices.renameLabel')} value={name} autoFocus maxLength={64} onChange={(event) => setName(event.target.value)} problem={problem} />
      <div role="alert" className="account-form__alert">
        {failure ? errorText(failure) : null}
      </div>
      <div className="confirm-prompt__actions">
        <button type="button" className="button" onClick={() => void onDone(false)} disabled={busy}>
          {t('devices.cancel')}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('devices.save')}
        </button>
      </div>
    </form>
  );
}
