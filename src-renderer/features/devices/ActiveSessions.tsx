import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceListItem, LinkedDevicePreview } from '../../../src-shared/ipc/devices';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { ConfirmPrompt } from '../../ui/ConfirmPrompt';
import { useErrorText } from '../account/useErrorText';
import { DeviceItem } from './DeviceItem';
import { LinkDeviceForm } from './LinkDeviceForm';
import { useDeviceList } from './useDeviceList';

/**
 * Settings → Active sessions (A9): every device of the account, this one first; terminate any
 * other, or all others, each confirmed. A terminated device is cut off by the server at once and
 * wipes itself when it hears of it.
 */
export function ActiveSessions() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const { list, reload } = useDeviceList();
  const [confirmingAll, setConfirmingAll] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [linkingOpen, setLinkingOpen] = useState(false);

  const linked = (preview: LinkedDevicePreview) => {
    setLinkingOpen(false);
    setDone(t('devices.linked', { name: preview.name }));
    // The new device registers itself a moment after it has the answer.
    void reload();
    setTimeout(() => void reload(), 2_000);
  };

  const act = async (work: () => Promise<{ ok: true } | { ok: false; error: IpcError }>, doneText: string) => {
    setBusy(true);
    setFailure(null);
    setDone(null);
    const answer = await work();
    await reload();
    setBusy(false);
    if (!answer.ok) return setFailure(answer.error);
    setDone(doneText);
  };

  const terminate = (device: DeviceListItem) =>
    act(() => bridge.devices.terminate({ deviceId: device.deviceId }), t('devices.terminated', { name: device.name }));
  const terminateOthers = () =>
    act(async () => {
      const answer = await bridge.devices.terminateOthers({});
      setConfirmingAll(false);
      return answer;
    }, t('devices.terminatedAll'));

  if (list.status === 'loading') return <p className="settings-section__note" role="status">{t('devices.loading')}</p>;
  if (list.status === 'failed') {
    return (
      <div className="device-page">
        <p role="alert">{errorText(list.error)}</p>
        <button type="button" className="button" onClick={() => void reload()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  const others = list.devices.filter((device) => !device.thisDevice);
  return (
    <div className="device-page">
      <p className="settings-section__note">{t('devices.lead')}</p>
      <ul className="device-list" aria-label={t('devices.title')}>
        {list.devices.map((device) => (
          <DeviceItem key={device.deviceId} device={device} now={list.loadedAt} busy={busy} onTerminate={() => terminate(device)} onRenamed={reload} />
        ))}
      </ul>
      {linkingOpen ? (
        <LinkDeviceForm onLinked={linked} onClose={() => setLinkingOpen(false)} />
      ) : (
        <button type="button" className="button button--primary" disabled={busy} onClick={() => setLinkingOpen(true)}>
          {t('devices.linkDevice')}
        </button>
      )}
      <div className="device-page__status" role="status">
        {done}
      </div>
      <div className="account-form__alert" role="alert">
        {failure ? errorText(failure) : null}
      </div>
      {others.length === 0 ? (
        <p className="settings-section__note">{t('devices.noOthers')}</p>
      ) : confirmingAll ? (
        <ConfirmPrompt
          question={t('devices.confirmTerminateAll', { count: others.length })}
          confirmLabel={t('devices.confirm')}
          cancelLabel={t('devices.cancel')}
          busy={busy}
          onConfirm={() => void terminateOthers()}
          onCancel={() => setConfirmingAll(false)}
        />
      ) : (
        <button type="button" className="button button--danger-outline" disabled={busy} onClick={() => setConfirmingAll(true)}>
          {t('devices.terminateAll')}
        </button>
      )}
    </div>
  );
}
