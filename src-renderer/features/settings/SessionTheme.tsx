import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { readSetting } from '../../data';
import { parseThemeChoice, readBootTheme, rememberBootTheme, THEME_SETTING, useAppliedTheme } from '../../app/theme';
import { useSession } from '../session/sessionContext';

/** While signed in, the theme is the one kept in the history; the boot copy follows it. */
export function SessionTheme() {
  const { store } = useSession();
  const [boot] = useState(readBootTheme);
  const stored = useLiveQuery(async () => ({ value: await readSetting(store, THEME_SETTING) }), [store]);
  const choice = stored === undefined ? boot : parseThemeChoice(stored.value);
  useAppliedTheme(choice);
  useEffect(() => {
    if (stored !== undefined) rememberBootTheme(choice);
  }, [stored, choice]);
  return null;
}
