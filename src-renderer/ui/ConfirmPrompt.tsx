import { useEffect, useId, useRef } from 'react';

type Props = {
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  /** The confirm button in the danger colour (the default), for a step that removes something. */
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
};

/**
 * An inline confirmation for a step that cannot be undone, inside a dialog: it takes focus (on
 * Cancel, the safe choice), and Escape cancels it without closing the dialog around it.
 */
export function ConfirmPrompt({ question, confirmLabel, cancelLabel, busy, danger = true, onConfirm, onCancel }: Props) {
  const questionId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      className="confirm-prompt"
      role="alertdialog"
      aria-labelledby={questionId}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        // Stops here: the dialog's own Escape (close, or back) must not run too.
        event.stopPropagation();
        event.nativeEvent.stopImmediatePropagation();
        onCancel();
      }}
    >
      <p id={questionId} className="confirm-prompt__question">
        {question}
      </p>
      <div className="confirm-prompt__actions">
        <button ref={cancel} type="button" className="button" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
        <button type="button" className={danger ? 'button button--danger' : 'button button--primary'} onClick={onConfirm} disabled={busy} aria-busy={busy || undefined}>
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
