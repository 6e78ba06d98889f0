import { useTranslation } from 'react-i18next';
import { useErrorText } from '../account/useErrorText';
import { useBlocking } from './useBlocking';

/** The chat header's **Block** / **Unblock** (B3): one click, undone by the other. */
export function BlockAction({ accountId, name }: { accountId: string; name: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { blocked, known, busy, error, setBlocked } = useBlocking(accountId);
  return (
    <div className="block-action">
      <button
        type="button"
        className={blocked ? 'button button--small' : 'button button--small button--danger-outline'}
        disabled={!known || busy}
        title={t(blocked ? 'blocking.unblockHint' : 'blocking.blockHint', { name })}
        onClick={() => void setBlocked(!blocked)}
      >
        {t(blocked ? 'blocking.unblock' : 'blocking.block')}
      </button>
      {error ? (
        <p className="account-form__alert" role="alert">
          {errorText(error)}
        </p>
      ) : null}
    </div>
  );
}
