import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryMessage } from '../../data';
import { formatClock, formatFullTime } from '../../ui/dates';
import { MessageTicks } from './MessageTicks';

type Props = { message: HistoryMessage; continued: boolean; focused: boolean; contactName: string };

/**
 * One message. Its text is a React text node, never markup: whatever a peer sends (tags,
 * scripts, direction marks) shows as the characters it is and runs nothing. White space and
 * line breaks are kept, the direction follows the text (dir="auto"), long words wrap.
 */
export const MessageBubble = memo(function MessageBubble({ message, continued, focused, contactName }: Props) {
  const { t, i18n } = useTranslation();
  const outgoing = message.direction === 'out';
  const classes = ['message', outgoing ? 'message--out' : 'message--in'];
  if (continued) classes.push('message--continued');
  if (focused) classes.push('message--focused');
  if (message.status === 'failed') classes.push('message--failed');
  return (
    <div className={classes.join(' ')} data-message-id={message.messageId}>
      <div className="message__bubble">
        <span className="visually-hidden">{outgoing ? t('conversation.you') : contactName}: </span>
        <p className="message__text" dir="auto">
          {message.text}
        </p>
        <span className="message__meta">
          <time className="message__time" dateTime={new Date(message.sentAt).toISOString()} title={formatFullTime(message.sentAt, i18n.language)}>
            {formatClock(message.sentAt, i18n.language)}
          </time>
          {outgoing && message.status ? <MessageTicks status={message.status} /> : null}
        </span>
      </div>
      {message.status === 'failed' ? (
        <p className="message__problem" role="note">
          {t('conversation.notSent')}
        </p>
      ) : null}
    </div>
  );
});
