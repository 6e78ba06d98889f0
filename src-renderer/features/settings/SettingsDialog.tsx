import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';
import { Dialog } from '../../ui/Dialog';
import { ActiveSessions } from '../devices/ActiveSessions';
import { PrivacySection } from '../privacy/PrivacySection';
import { AppearanceSection } from './AppearanceSection';
import { ArchiveSetting } from './ArchiveSetting';
import { ProfileSection } from './ProfileSection';
import { SETTINGS_SECTIONS, type SettingsSection } from './settingsSlice';
import { ShortcutsSection } from './ShortcutsSection';

/**
 * Settings (Ctrl+,): a two-pane window, the sections on the left (Profile, Privacy and security,
 * Active sessions, Data and storage, Appearance, Shortcuts) and the chosen one on the right.
 * Active sessions is a page of its own (Back or Escape returns).
 */
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

const SECTION_CONTENT: Record<SettingsSection, () => ReactNode> = {
  profile: () => <ProfileSection />,
  privacy: () => <PrivacySection />,
  data: () => <ArchiveSetting />,
  appearance: () => <AppearanceSection />,
  shortcuts: () => <ShortcutsSection />,
};

function SettingsContent() {
  const { t } = useTranslation();
  const close = useAppStore((state) => state.closeSettings);
  const section = useAppStore((state) => state.settingsSection);
  const showSection = useAppStore((state) => state.showSettingsSection);
  const showPage = useAppStore((state) => state.showSettingsPage);
  // Back from Active sessions: focus returns to the button that opened it.
  const focused = useAppStore((state) => (state.settingsReturnedFrom === 'sessions' ? 'sessions' : state.settingsSection));

  return (
    <Dialog title={t('settings.title')} closeLabel={t('settings.close')} onClose={close} wide>
      <div className="settings-panes">
        <nav className="settings-nav" aria-label={t('settings.sectionsName')}>
          <ul>
            {SETTINGS_SECTIONS.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  className="settings-nav__item"
                  aria-current={id === section ? 'true' : undefined}
                  data-autofocus={id === focused ? true : undefined}
                  onClick={() => (id === 'sessions' ? showPage('sessions') : showSection(id))}
                >
                  {t(`settings.sections.${id}`)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section className="settings-pane" aria-labelledby={`settings-pane-${section}`}>
          <h3 id={`settings-pane-${section}`} className="settings-pane__title">
            {t(`settings.titles.${section}`)}
          </h3>
          {SECTION_CONTENT[section]()}
        </section>
      </div>
    </Dialog>
  );
}
