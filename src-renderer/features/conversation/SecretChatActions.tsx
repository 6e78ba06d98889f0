import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { secretChatIdOf, secretConversationId } from '../../../src-shared/domain/messages';
import type { IpcError } from '../../../src-shared/ipc/result';
import { deleteConversation, ensureSecretChat } from '../../data';
import { useAppStore, useBridge } from '../../app/appContext';
import { ConfirmPrompt } from '../../ui/ConfirmPrompt';
import { useErrorText } from '../account/useErrorText';
import { useSession } from '../session/sessionContext';

type Props = { conversationId: string; partyAccountId: string; secret: boolean };

/**
 * The chat header's secret chat actions (C4): in a chat with someone, **Start secret chat** opens
 * one with one device of theirs and shows it; in a secret chat, **Delete secret chat** (confirmed)
 * deletes it here and on its other device.
 */
export function SecretChatActions({ conversationId, partyAccountId, secret }: Props) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const { writer, account } = useSession();
  const selectChat = useAppStore((state) => state.selectChat);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  if (!secret && partyAccountId === account.accountId) return null; // no secret chat with oneself

  const start = async () => {
    setBusy(true);
    setError(null);
    const answer = await bridge.messaging.startSecretChat({ to: partyAccountId });
    if (answer.ok) {
      const { chatId, peerAccountId } = answer.value;
      const conversationId = secretConversationId(chatId);
      try {
        await writer.run((store) => ensureSecretChat(store, conversationId, peerAccountId));
        selectChat(conversationId);
      } catch (error) {
        setError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
      }
    } else setError(answer.error);
    setBusy(false);
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    const answer = await bridge.messaging.deleteSecretChat({ chatId: secretChatIdOf(conversationId) ?? conversationId });
    // Gone already on this device's core (deleted from the other side): the history goes too.
    if (answer.ok || answer.error.code === 'not_found') {
      try {
        await writer.run((store) => deleteConversation(store, conversationId));
        selectChat(null);
      } catch (error) {
        setError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
        setBusy(false);
        setConfirming(false);
      }
    } else {
      setError(answer.error);
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className="secret-actions">
      {secret ? (
        <button type="button" className="button button--small" disabled={busy} onClick={() => setConfirming(true)}>
          {t('secret.delete')}
        </button>
      ) : (
        <button type="button" className="button button--small" disabled={busy} onClick={() => void start()}>
          {t('secret.start')}
        </button>
      )}
      {confirming ? (
        <ConfirmPrompt
          question={t('secret.confirmDelete')}
          confirmLabel={t('secret.confirm')}
          cancelLabel={t('secret.cancel')}
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      {error ? (
        <p className="account-form__alert" role="alert">
          {errorText(error)}
        </p>
      ) : null}
    </div>
  );
}
