import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { readSetting, writeSetting } from '../../data';
import { parseThemeChoice, rememberBootTheme, THEME_CHOICES, THEME_SETTING, type ThemeChoice } from '../../app/theme';
import { useSession } from '../session/sessionContext';

/** Settings → Appearance: the theme (light, dark, or the system's), kept in the history and remembered for the next first paint. */
export function AppearanceSection() {
  const { t } = useTranslation();
  const { store, writer } = useSession();
  const stored = useLiveQuery(async () => ({ value: await readSetting(store, THEME_SETTING) }), [store]);
  const choice = parseThemeChoice(stored?.value);

  const choose = (next: ThemeChoice) => {
    rememberBootTheme(next);
    void writer.run((history) => writeSetting(history, THEME_SETTING, next));
  };

  return (
    <fieldset className="plain-fieldset settings-group">
      <legend className="settings-group__title">{t('settings.theme')}</legend>
      <div className="segmented">
        {THEME_CHOICES.map((option) => (
          <label key={option} className="segmented__option">
            <input type="radio" name="theme" value={option} checked={stored !== undefined && choice === option} onChange={() => choose(option)} />
            <span>{t(`settings.themes.${option}`)}</span>
          </label>
        ))}
      </div>
      <p className="settings-section__note">{t('settings.themeNote')}</p>
    </fieldset>
  );
}
