import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { countAllUnread } from '../../data';
import { latestAtMostEvery } from '../../ui/latestAtMostEvery';
import { useSession } from '../session/sessionContext';

/**
 * A new title at most this often (ms); the last one always lands. Setting document.title costs the
 * page about 1.5 ms (Chromium hands it to the browser process), and a catch-up changes the unread
 * count with every stored batch.
 */
const TITLE_INTERVAL_MS = 500;

/** The window's title carries the unread count, so the taskbar shows it: "(3) Parley". */
export function useUnreadTitle(): void {
  const { t } = useTranslation();
  const { store } = useSession();
  const unread = useLiveQuery(() => countAllUnread(store), [store]) ?? 0;
  const title = unread > 0 ? t('app.titleWithUnread', { count: unread }) : t('app.name');
  const [writer] = useState(() =>
    latestAtMostEvery(TITLE_INTERVAL_MS, (next: string) => {
      if (document.title !== next) document.title = next;
    }),
  );
  useEffect(() => writer.set(title), [writer, title]);
  useEffect(() => () => writer.dispose(), [writer]);
}
