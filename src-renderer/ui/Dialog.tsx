import { useEffect, useId, useRef, type ReactNode } from 'react';
import { BackIcon, CloseIcon } from './icons';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

type Props = {
  title: string;
  closeLabel: string;
  onClose(): void;
  /** A page within the dialog (Settings → Active sessions): a back button, and Escape goes back. */
  back?: { label: string; onBack(): void };
  /** A wider window (Settings' two panes). */
  wide?: boolean;
  children: ReactNode;
};

/**
 * A modal dialog: focus moves in when it opens, stays inside while it is open (Tab wraps), and
 * returns where it was when it closes; Escape (or, on a page with `back`, going back) or a click
 * outside closes it.
 */
export function Dialog({ title, closeLabel, onClose, back, wide = false, children }: Props) {
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const onBackRef = useRef(back?.onBack);
  useEffect(() => {
    onCloseRef.current = onClose;
    onBackRef.current = back?.onBack;
  });

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = panel.current?.querySelector<HTMLElement>('[data-autofocus]') ?? panel.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const keyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        (onBackRef.current ?? onCloseRef.current)();
      } else if (event.key === 'Tab' && panel.current) {
        const focusable = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
        const [start, end] = [focusable[0], focusable[focusable.length - 1]];
        if (!start || !end) return;
        if (event.shiftKey && document.activeElement === start) {
          event.preventDefault();
          end.focus();
        } else if (!event.shiftKey && document.activeElement === end) {
          event.preventDefault();
          start.focus();
        }
      }
    };
    document.addEventListener('keydown', keyDown);
    return () => {
      document.removeEventListener('keydown', keyDown);
      returnTo?.focus();
    };
  }, []);

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div ref={panel} className={wide ? 'dialog dialog--wide' : 'dialog'} role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="dialog__header">
          {back ? (
            <button type="button" className="icon-button dialog__back" aria-label={back.label} onClick={back.onBack}>
              <BackIcon />
            </button>
          ) : null}
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <button type="button" className="icon-button" aria-label={closeLabel} onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        <div className="dialog__body">{children}</div>
      </div>
    </div>
  );
}
