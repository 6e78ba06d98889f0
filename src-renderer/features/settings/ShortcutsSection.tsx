import { useTranslation } from 'react-i18next';
import { describeChord, SHORTCUTS } from '../../app/shortcuts';

/** Settings → Shortcuts: every keyboard shortcut, as this platform writes it. */
export function ShortcutsSection() {
  const { t } = useTranslation();
  const onMac = /Mac/.test(navigator.platform);
  return (
    <table className="shortcut-table">
      <caption className="visually-hidden">{t('settings.shortcuts')}</caption>
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
  );
}
