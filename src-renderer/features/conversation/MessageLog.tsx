import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessagePosition } from '../../data';
import { dayLabel } from '../../ui/dates';
import { useNow } from '../../ui/useNow';
import { MessageBubble } from './MessageBubble';
import { buildMessageRows, messageRowKey, type MessageRow } from './messageRows';
import { useMessageWindow } from './useMessageWindow';

/** Scrolled this close to either end of what is loaded, the next page is read. */
const LOAD_MARGIN_PX = 600;
/** Within this distance of the bottom, the user counts as reading the newest messages. */
const FOLLOW_MARGIN_PX = 96;

type Props = {
  conversationId: string;
  /** Opened at this message (a search result) instead of at the newest. */
  focus: MessagePosition | null;
  /** What the other person is called, for screen readers. */
  contactName: string;
};

/**
 * The conversation (a log named "Messages"): virtualised, so a history of 100,000 messages costs
 * what is on screen; oldest at the top, grouped by day. It keeps its place when older pages load
 * above, and follows new messages while the user is at the bottom.
 */
export function MessageLog({ conversationId, focus, contactName }: Props) {
  const { t, i18n } = useTranslation();
  const page = useMessageWindow(conversationId, focus);
  const rows = useMemo(() => buildMessageRows(page.messages ?? []), [page.messages]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const positioned = useRef(false);
  const lastKey = useRef<string | null>(null);
  const focusKey = focus ? messageRowKey(focus) : null;
  const now = useNow();

  // TanStack Virtual keeps mutable state in the instance; the compiler lint knows it cannot memoise it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (rows[index]?.kind === 'day' ? 44 : 58),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 10,
    paddingStart: 12,
    paddingEnd: 12,
  });

  // Where to start: the newest message, or the one the conversation was opened at.
  useLayoutEffect(() => {
    if (positioned.current || rows.length === 0) return;
    positioned.current = true;
    lastKey.current = rows[rows.length - 1]?.key ?? null;
    const target = focusKey === null ? -1 : rows.findIndex((row) => row.key === focusKey);
    if (target >= 0) virtualizer.scrollToIndex(target, { align: 'center' });
    else virtualizer.scrollToEnd();
  }, [rows, focusKey, virtualizer]);

  // Older messages arrived above: move by what they added, so what the user reads stays put.
  // (The first message, not the first row: a day separator moves up when its day gets more.)
  const firstMessage = useRef<{ key: string; start: number } | null>(null);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    const measurements = virtualizer.measurementsCache;
    const firstIndex = rows.findIndex((row) => row.kind === 'message');
    const first = rows[firstIndex];
    const previous = firstMessage.current;
    if (element && previous && first && first.key !== previous.key) {
      const start = measurements[rows.findIndex((row) => row.key === previous.key)]?.start;
      if (start !== undefined) element.scrollTop += start - previous.start;
    }
    firstMessage.current = first ? { key: first.key, start: measurements[firstIndex]?.start ?? 0 } : null;
  }, [rows, virtualizer]);

  // A new message is followed while the user is at the bottom; my own is shown even when I had
  // scrolled up. (Growth of the content fires no scroll event, so atBottom still says where the
  // user was before it arrived.)
  const atBottom = useRef(true);
  useEffect(() => {
    const last = rows[rows.length - 1];
    if (!positioned.current || last === undefined || last.key === lastKey.current) return;
    lastKey.current = last.key;
    if (page.hasNewer) return;
    const mine = last.kind === 'message' && last.message.direction === 'out';
    if (mine || atBottom.current) virtualizer.scrollToEnd();
  }, [rows, virtualizer, page.hasNewer]);

  const items = virtualizer.getVirtualItems();
  // Pages load while the view is near either end: on scrolling (by the user, a screen reader or
  // a script alike), and again when a page arrives and it is still there (at the very top the
  // wheel fires no more scroll events). Armed only once the view has reached where it opens (the
  // bottom, or the message it was opened at), so the jump there loads nothing on the way.
  const armed = useRef(false);
  const { settled, hasOlder, anchor, loadOlder, loadNewer } = page;
  const checkEdges = useCallback(() => {
    const element = scrollRef.current;
    if (!element || !positioned.current) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_MARGIN_PX;
    armed.current ||= atBottom.current || anchor !== null;
    if (!armed.current || !settled) return;
    if (hasOlder && element.scrollTop < LOAD_MARGIN_PX) loadOlder();
    else if (anchor !== null && element.scrollHeight - element.scrollTop - element.clientHeight < LOAD_MARGIN_PX) loadNewer();
  }, [settled, hasOlder, anchor, loadOlder, loadNewer]);
  useEffect(checkEdges, [checkEdges, rows.length]);

  const lastIncoming = useMemo(() => [...(page.messages ?? [])].reverse().find((message) => message.direction === 'in'), [page.messages]);

  return (
    <>
      <div
        ref={scrollRef}
        className="message-log"
        role="log"
        aria-label={t('conversation.logName')}
        // Rows come and go as the list scrolls; new messages are announced below instead.
        aria-live="off"
        aria-busy={page.messages === undefined || !page.settled || undefined}
        tabIndex={0}
        onScroll={checkEdges}
      >
        <div className="message-log__canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index] as MessageRow;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="message-log__row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.kind === 'day' ? (
                  <DaySeparator day={row.day} now={now} locale={i18n.language} />
                ) : (
                  <MessageBubble message={row.message} continued={row.continued} focused={row.key === focusKey} contactName={contactName} />
                )}
              </div>
            );
          })}
        </div>
        {page.messages !== undefined && page.messages.length === 0 ? (
          <p className="message-log__empty">{t('conversation.empty', { name: contactName })}</p>
        ) : null}
      </div>
      <div className="visually-hidden" role="status">
        {lastIncoming ? t('conversation.announceMessage', { name: contactName, text: Array.from(lastIncoming.text).slice(0, 300).join('') }) : ''}
      </div>
    </>
  );
}

function DaySeparator({ day, now, locale }: { day: number; now: number; locale: string }) {
  const { t } = useTranslation();
  const label = dayLabel(day, now, locale);
  return (
    <div className="day-separator">
      <span className="day-separator__label">{'relative' in label ? t(`dates.${label.relative}`) : label.text}</span>
    </div>
  );
}
