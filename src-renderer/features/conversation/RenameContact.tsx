import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTACT_NAME_MAX } from '../../../src-shared/domain/preferences';
import { useAppStore } from '../../app/appContext';
import { TextField } from '../../ui/TextField';
import { useErrorText } from '../account/useErrorText';
import { useSavedName } from '../chats/useSavedName';
import { usePreferenceChange } from '../privacy/usePreferenceChange';

type Props = { accountId: string; shownName: string };

/**
 * The chat header's **Rename contact** (A5): the name I save for someone shows instead of their
 * display name everywhere in my app, on my devices only (synced between them end to end); an
 * empty name brings theirs back.
 */
export function RenameContact({ accountId, shownName }: Props) {
  const { t } = useTranslation();
  const known = useAppStore((state) => state.preferences !== null);
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  return (
    <div className="rename-contact">
      <button ref={opener} type="button" className="button button--small" disabled={!known} aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('contactName.rename')}
      </button>
      {open ? <RenameForm accountId={accountId} shownName={shownName} onDone={close} /> : null}
    </div>
  );
}

function RenameForm({ accountId, shownName, onDone }: Props & { onDone(): void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const saved = useSavedName(accountId);
  const [name, setName] = useState(saved ?? shownName);
  const { busy, error: failure, change } = usePreferenceChange();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await change({ key: 'contactName', accountId, value: name.trim() })) onDone();
  };

  return (
    <form
      className="rename-contact__form"
      aria-label={t('contactName.rename')}
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        onDone();
      }}
      noValidate
    >
      <TextField
        label={t('contactName.label')}
        hint={t('contactName.hint')}
        value={name}
        autoFocus
        maxLength={CONTACT_NAME_MAX}
        onChange={(event) => setName(event.target.value)}
      />
      <div role="alert" className="account-form__alert">
        {failure ? errorText(failure) : null}
      </div>
      <div className="confirm-prompt__actions">
        <button type="button" className="button" onClick={onDone} disabled={busy}>
          {t('contactName.cancel')}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('contactName.save')}
        </button>
      </div>
    </form>
  );
}
