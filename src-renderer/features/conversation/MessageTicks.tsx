import { useTranslation } from 'react-i18next';
import type { MessageStatus } from '../../../src-shared/domain/messages';
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon } from '../../ui/icons';

/** Where my message stands, as an icon with a name screen readers say ("Read", "Delivered"…). */
export function MessageTicks({ status, compact = false }: { status: MessageStatus; compact?: boolean }) {
  const { t } = useTranslation();
  const size = compact ? 14 : 15;
  const icon =
    status === 'pending' ? (
      <ClockIcon size={size - 2} />
    ) : status === 'sent' ? (
      <CheckIcon size={size} />
    ) : status === 'failed' ? (
      <AlertIcon size={size - 1} />
    ) : (
      <DoubleCheckIcon size={size} />
    );
  const label = t(`status.${status}`);
  return (
    <span className={`ticks ticks--${status}`} role="img" aria-label={label} title={label}>
      {icon}
    </span>
  );
}
