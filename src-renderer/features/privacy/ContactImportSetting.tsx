import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { useErrorText } from '../account/useErrorText';
import { base64Of } from '../../ui/base64';

const FILE_MAX_BYTES = 2 * 1024 * 1024;
type Status = { status: 'idle' | 'busy' | 'deleted' } | { status: 'imported'; imported: number; skipped: number; onParley: number } | { status: 'failed'; error: IpcError } | { status: 'too_large' };

/**
 * Privacy and security → Contacts (B2): Import contacts from a vCard or CSV file the user
 * picks (never the system address book), and Delete synced contacts, which takes their hashed
 * numbers off the server at once.
 */
export function ContactImportSetting() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const input = useRef<HTMLInputElement>(null);
  const [count, setCount] = useState(0);
  const [state, setState] = useState<Status>({ status: 'idle' });
  const titleId = useId();

  useEffect(() => {
    let live = true;
    void bridge.contacts.importedCount({}).then((answer) => {
      if (live && answer.ok) setCount(answer.value.count);
    });
    return () => {
      live = false;
    };
  }, [bridge, state.status]);

  const picked = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > FILE_MAX_BYTES) return setState({ status: 'too_large' });
    setState({ status: 'busy' });
    const answer = await bridge.contacts.importFile({ name: file.name.slice(0, 255), file: base64Of(new Uint8Array(await file.arrayBuffer())) });
    setState(answer.ok ? { status: 'imported', ...answer.value } : { status: 'failed', error: answer.error });
  };

  const deleteSynced = async () => {
    setState({ status: 'busy' });
    const answer = await bridge.contacts.deleteSynced({});
    setState(answer.ok ? { status: 'deleted' } : { status: 'failed', error: answer.error });
  };

  return (
    <section className="settings-group" aria-labelledby={titleId}>
      <h4 id={titleId} className="settings-group__title">
        {t('contactImport.title')}
      </h4>
      <p className="settings-section__note">{t('contactImport.note')}</p>
      <div className="phone-form__actions">
        <button type="button" className="button" disabled={state.status === 'busy'} onClick={() => input.current?.click()}>
          {t('contactImport.import')}
        </button>
        <button type="button" className="button button--danger-outline" disabled={state.status === 'busy' || count === 0} onClick={() => void deleteSynced()}>
          {t('contactImport.deleteSynced')}
        </button>
        <input ref={input} type="file" accept=".vcf,.csv,text/vcard,text/x-vcard,text/csv" hidden tabIndex={-1} onChange={(event) => void picked(event)} />
      </div>
      <p role="status" className="settings-section__note">
        {state.status === 'imported'
          ? t('contactImport.imported', { count: state.imported, onParley: state.onParley, skipped: state.skipped })
          : state.status === 'deleted'
            ? t('contactImport.deleted')
            : count > 0
              ? t('contactImport.kept', { count })
              : ''}
      </p>
      {state.status === 'failed' || state.status === 'too_large' ? (
        <p className="account-form__alert" role="alert">
          {state.status === 'failed' ? errorText(state.error) : t('contactImport.tooLarge')}
        </p>
      ) : null}
    </section>
  );
}
