import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { countAllUnread } from '../../data';
import { useSession } from '../session/sessionContext';

/** The window's title carries the unread count, so the taskbar shows it: "(3) Parley". */
export function useUnreadTitle(): void {
  const { t } = useTranslation();
  const { store } = useSession();
  const unread = useLiveQuery(() => countAllUnread(store), [store]) ?? 0;
  useEffect(() => {
    document.title = unread > 0 ? t('app.titleWithUnread', { count: unread }) : t('app.name');
  }, [unread, t]);
}
