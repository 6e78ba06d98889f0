import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { readSetting, writeSetting } from '../../data';
import { useAppStore } from '../../app/appContext';
import { describeChord, SHORTCUTS } from '../../app/shortcuts';
import { parseThemeChoice, rememberBootTheme, THEME_CHOICES, THEME_SETTING, type ThemeChoice } from '../../app/theme';
import { Avatar } from '../../ui/Avatar';
import { Dialog } from '../../ui/Dialog';
import { DeviceIcon } from '../../ui/icons';
import { ActiveSessions } from '../devices/ActiveSessions';
import { useSession } from '../session/sessionContext';
import { ArchiveSetting } from './ArchiveSetting';

/** Settings (Ctrl+,): who I am, Active sessions, the history archive, the theme, and the keyboard shortcuts. */
export function SettingsDialog() {
  const open = useAppStore((state) => state.settingsOpen);
  const page = useAppStore((state) => state.settingsPage);
  if (!open) return null;
  return page === 'sessions' ? <SessionsPage /> : <SettingsContent />;
}

/** Settings → Active sessions: a page of the same dialog; back (or Escape) returns to Settings. */
function SessionsPage() {
  const { t } = useTranslation();
  const close = useAppStore((state) => state.closeSettings);
  const show = useAppStore((state) => state.showSettingsPage);
  return (
    <Dialog title={t('devices.title')} closeLabel={t('settings.close')} onClose={close} back={{ label: t('devices.back'), onBack: () => show('main') }}>
      <ActiveSessions />
    </Dialog>
  );
}

function SettingsContent() {
  const { t } = useTranslation();
  const { store, writer, account } = useSession();
  const close = useAppStore((state) => state.closeSettings);
  const show = useAppStore((state) => state.showSettingsPage);
  const stored = useLiveQuery(async () => ({ value: await readSetting(store, THEME_SETTING) }), [store]);
  const choice = parseThemeChoice(stored?.value);
  const onMac = /Mac/.test(navigator.platform);

  const choose = (next: ThemeChoice) => {
    rememberBootTheme(next);
    void writer.run((history) => writeSetting(history, THEME_SETTING, next));
  };

  return (
    <Dialog title={t('settings.title')} closeLabel={t('settings.close')} onClose={close}>
      <section className="settings-section" aria-labelledby="settings-account">
        <h3 id="settings-account" className="settings-section__title">
          {t('settings.account')}
        </h3>
        <div className="settings-account">
          <Avatar accountId={account.accountId} name={account.username} size="large" />
          <div>
            <p className="settings-account__name">{account.username}</p>
            <p className="settings-account__username">@{account.username}</p>
          </div>
        </div>
        <button type="button" className="settings-link" onClick={() => show('sessions')} data-returns-from="sessions">
          <DeviceIcon />
          <span>{t('devices.open')}</span>
        </button>
      </section>
      <section className="settings-section" aria-labelledby="settings-history">
        <h3 id="settings-history" className="settings-section__title">
          {t('settings.history')}
        </h3>
        <ArchiveSetting />
      </section>
      <section className="settings-section">
        <fieldset className="plain-fieldset">
          <legend className="settings-section__title">{t('settings.theme')}</legend>
          <div className="segmented">
            {THEME_CHOICES.map((option) => (
              <label key={option} className="segmented__option">
                <input
                  type="radio"
                  name="theme"
                  value={option}
                  checked={stored !== undefined && choice === option}
                  onChange={() => choose(option)}
                  data-autofocus={stored !== undefined && choice === option ? true : undefined}
                />
                <span>{t(`settings.themes.${option}`)}</span>
              </label>
            ))}
          </div>
          <p className="settings-section__note">{t('settings.themeNote')}</p>
        </fieldset>
      </section>
      <section className="settings-section" aria-labelledby="settings-shortcuts">
        <h3 id="settings-shortcuts" className="settings-section__title">
          {t('settings.shortcuts')}
        </h3>
        <table className="shortcut-table">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.action}>
                <th scope="row">{t(shortcut.descriptionKey)}</th>
                <td>
                  {shortcut.chords.map((chord, index) => (
                    <kbd key={index}>{describeChord(chord, onMac)}</kbd>
                  ))}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('shortcuts.send')}</th>
              <td>
                <kbd>Enter</kbd>
              </td>
            </tr>
            <tr>
              <th scope="row">{t('shortcuts.newLine')}</th>
              <td>
                <kbd>{onMac ? '⇧Enter' : 'Shift+Enter'}</kbd>
              </td>
            </tr>
          </tbody>
        </table>
      </section>
    </Dialog>
  );
}
