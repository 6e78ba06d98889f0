import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Audience } from '../../../src-shared/domain/preferences';
import { useAppStore } from '../../app/appContext';
import { useErrorText } from '../account/useErrorText';
import { AudienceChoice } from './AudienceChoice';
import { BlockedUsers } from './BlockedUsers';
import { ContactImportSetting } from './ContactImportSetting';
import { PhoneNumberSetting } from './PhoneNumberSetting';
import { usePreferenceChange } from './usePreferenceChange';

/**
 * Settings → Privacy and security: my phone number and whether people find me by it (H3), who
 * sees my avatar (A4), who can call me (F3), frequent contacts (B4), imported contacts (B2) and
 * the people I blocked (B3). Each change applies at once, syncs to my other devices end to end
 * and survives a restart.
 */
export function PrivacySection() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const preferences = useAppStore((state) => state.preferences);
  const { error, change } = usePreferenceChange();
  const frequentNoteId = useId();

  const setAudience = (key: 'whoCanCall' | 'avatarVisibility', value: Audience) => change({ key, value });

  return (
    <>
      <PhoneNumberSetting />
      <AudienceChoice
        label={t('privacy.avatarVisibleTo')}
        note={t('privacy.avatarVisibleToNote')}
        value={preferences?.avatarVisibility}
        disabled={preferences === null}
        onChange={(value) => void setAudience('avatarVisibility', value)}
      />
      <AudienceChoice
        label={t('privacy.whoCanCall')}
        note={t('privacy.whoCanCallNote')}
        value={preferences?.whoCanCall}
        disabled={preferences === null}
        onChange={(value) => void setAudience('whoCanCall', value)}
      />
      {error ? (
        <p className="account-form__alert" role="alert">
          {errorText(error)}
        </p>
      ) : null}
      <div className="settings-group">
        <label className="settings-check">
          <input
            type="checkbox"
            checked={preferences?.suggestFrequent ?? true}
            disabled={preferences === null}
            aria-describedby={frequentNoteId}
            onChange={(event) => void change({ key: 'suggestFrequent', value: event.target.checked })}
          />
          <span>{t('privacy.suggestFrequent')}</span>
        </label>
        <p id={frequentNoteId} className="settings-section__note">
          {t('privacy.suggestFrequentNote')}
        </p>
      </div>
      <ContactImportSetting />
      <BlockedUsers blocked={preferences?.blocked ?? []} />
    </>
  );
}
