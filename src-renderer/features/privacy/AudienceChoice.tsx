import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIENCES, type Audience } from '../../../src-shared/domain/preferences';

type Props = { label: string; note: string; value: Audience | undefined; disabled: boolean; onChange(value: Audience): void };

/** A privacy setting's audience (F3's who can call me, A4's avatar): a radio group of Everyone, My contacts, Nobody. */
export function AudienceChoice({ label, note, value, disabled, onChange }: Props) {
  const { t } = useTranslation();
  const labelId = useId();
  const noteId = useId();
  const name = useId();
  return (
    <div className="settings-group">
      <p id={labelId} className="settings-group__title">
        {label}
      </p>
      <div role="radiogroup" aria-labelledby={labelId} aria-describedby={noteId} className="segmented">
        {AUDIENCES.map((option) => (
          <label key={option} className="segmented__option">
            <input type="radio" name={name} value={option} checked={value === option} disabled={disabled} onChange={() => onChange(option)} />
            <span>{t(`privacy.audiences.${option}`)}</span>
          </label>
        ))}
      </div>
      <p id={noteId} className="settings-section__note">
        {note}
      </p>
    </div>
  );
}
