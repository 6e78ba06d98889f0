import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { IpcError } from '../../../src-shared/ipc/result';
import { saveDraft } from '../../data';
import { useAppStore, useAppStoreApi } from '../../app/appContext';
import { FOCUS_TARGETS } from '../../app/focusTargets';
import { SendIcon } from '../../ui/icons';
import { useErrorText } from '../account/useErrorText';
import { useSession } from '../session/sessionContext';
import { useTypingSender } from './useTypingSender';

/** Drafts reach the history this long after the last keystroke (and at once on leaving the chat). */
const DRAFT_SAVE_DELAY_MS = 400;
/** The counter shows from this many characters before the limit. */
const COUNTER_FROM = 2_000;
/** The composer grows with its text up to this height, then scrolls. */
const MAX_HEIGHT_PX = 220;

type Props = {
  conversationId: string;
  /** The draft the history holds for this chat: where the composer starts after a restart. */
  savedDraft: string | undefined;
  contactName: string;
  /** A secret chat (C4): sent to its one other device, and no typing indicator (it would reach the others). */
  secret?: boolean;
};

/**
 * The composer: Enter sends, Shift+Enter starts a new line. Each chat keeps its own draft (the
 * UI store while the app runs, the history across restarts).
 */
export function Composer({ conversationId, savedDraft, contactName, secret = false }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { outgoing, writer, account } = useSession();
  const appStore = useAppStoreApi();
  const liveDraft = useAppStore((state) => state.drafts[conversationId]);
  const setDraft = useAppStore((state) => state.setDraft);
  const text = liveDraft ?? savedDraft ?? '';
  const [failure, setFailure] = useState<IpcError | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingSender(conversationId, conversationId !== account.accountId && !secret);
  const persist = useDraftPersistence(conversationId, (draft) => writer.run((store) => saveDraft(store, conversationId, draft)));

  const remaining = LIMITS.textMaxLength - text.length;
  const canSend = text.trim() !== '' && remaining >= 0;

  useLayoutEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const change = (value: string) => {
    setDraft(conversationId, value);
    persist.later(value);
    typing.typed(value);
    if (failure) setFailure(null);
  };

  const send = () => {
    if (!canSend) return;
    const value = text;
    setDraft(conversationId, '');
    persist.now('');
    typing.stop();
    setFailure(null);
    void outgoing.send(conversationId, value, secret).then((result) => {
      if (result.ok) return;
      setFailure(result.error);
      // Not taken by main, and nothing typed since: give the text back so it is not lost.
      if (!result.accepted && appStore.getState().drafts[conversationId] === '') {
        setDraft(conversationId, value);
        persist.now(value);
      }
    });
  };

  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {failure ? (
        <p className="composer__problem" role="alert">
          {t('composer.failed', { reason: errorText(failure) })}
        </p>
      ) : null}
      <div className="composer__row">
        <textarea
          ref={inputRef}
          id={FOCUS_TARGETS.composer}
          className="composer__input"
          aria-label={t('composer.inputName')}
          placeholder={t('composer.placeholder', { name: contactName })}
          rows={1}
          dir="auto"
          autoComplete="off"
          value={text}
          onChange={(event) => change(event.target.value)}
          onKeyDown={keyDown}
          onBlur={typing.stop}
          aria-describedby={remaining < COUNTER_FROM ? 'composer-counter' : undefined}
        />
        <button type="submit" className="composer__send" aria-label={t('composer.send')} title={t('composer.sendHint')} disabled={!canSend}>
          <SendIcon />
        </button>
      </div>
      {remaining < COUNTER_FROM ? (
        <p id="composer-counter" className={remaining < 0 ? 'composer__counter composer__counter--over' : 'composer__counter'} aria-live="polite">
          {remaining < 0 ? t('composer.overLimit', { count: -remaining }) : t('composer.charactersLeft', { count: remaining })}
        </p>
      ) : null}
    </form>
  );
}

/** Saves a chat's draft a moment after typing stops, and at once when the chat is left or the window closes or hides. */
function useDraftPersistence(conversationId: string, save: (draft: string) => Promise<void>) {
  const pending = useRef<{ draft: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });

  const flush = useCallback(() => {
    const waiting = pending.current;
    if (!waiting) return;
    clearTimeout(waiting.timer);
    pending.current = null;
    void saveRef.current(waiting.draft).catch(() => undefined);
  }, []);

  useEffect(() => flush, [conversationId, flush]);
  // Closing or hiding the window must not cost the last keystrokes.
  useEffect(() => {
    const flushWhenHidden = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', flushWhenHidden);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flushWhenHidden);
    };
  }, [flush]);

  return {
    later(draft: string) {
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = { draft, timer: setTimeout(flush, DRAFT_SAVE_DELAY_MS) };
    },
    now(draft: string) {
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = { draft, timer: setTimeout(flush, 0) };
      flush();
    },
  };
}
