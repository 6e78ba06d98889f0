import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BIO_MAX, DISPLAY_NAME_MAX } from '../../../src-shared/domain/profile';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { TextField } from '../../ui/TextField';
import { usernameProblem } from '../account/credentialRules';
import { useErrorText } from '../account/useErrorText';
import { useSession } from '../session/sessionContext';
import { AvatarPicker } from './AvatarPicker';

type Saved = { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'failed'; error: IpcError };

/**
 * Settings → Profile (A2, A4): my avatar, and the display name and bio the people I write to
 * see, sealed end to end (the server keeps them encrypted with keys only my devices and those
 * people hold).
 */
export function ProfileSection() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const { account } = useSession();
  const [displayName, setDisplayName] = useState('');
  const [bio, setBio] = useState('');
  // What I typed in Username; null until I type, so a change made on another device shows.
  const [typedName, setTypedName] = useState<string | null>(null);
  const username = typedName ?? account.username;
  const [loaded, setLoaded] = useState(false);
  const [saved, setSaved] = useState<Saved>({ status: 'idle' });
  const noteId = useId();
  const bioId = useId();

  useEffect(() => {
    let live = true;
    const apply = (profile: { displayName: string; bio: string } | null) => {
      if (!live) return;
      setDisplayName(profile?.displayName ?? '');
      setBio(profile?.bio ?? '');
      setLoaded(true);
    };
    void bridge.profile.get({}).then((answer) => apply(answer.ok ? answer.value : null));
    const stop = bridge.profile.onDidChange((profile) => apply(profile));
    return () => {
      live = false;
      stop();
    };
  }, [bridge]);

  const typedUsername = username.trim().replace(/^@/, '').toLowerCase();
  const problem = typedName !== null ? usernameProblem(typedUsername) : null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (usernameProblem(typedUsername)) return setTypedName(username);
    setSaved({ status: 'saving' });
    // A3: a new @username first (the old one is released); then the sealed profile.
    if (typedUsername !== account.username) {
      const renamed = await bridge.profile.changeUsername({ username: typedUsername });
      if (!renamed.ok) return setSaved({ status: 'failed', error: renamed.error });
      setTypedName(null);
    }
    const answer = await bridge.profile.save({ displayName, bio });
    setSaved(answer.ok ? { status: 'saved' } : { status: 'failed', error: answer.error });
  };

  const shownName = displayName.trim() || account.username;
  return (
    <>
      <AvatarPicker shownName={shownName} />
      <form className="profile-form" onSubmit={(event) => void save(event)} aria-describedby={noteId}>
        <p id={noteId} className="settings-section__note">
          {t('profile.note')}
        </p>
        <TextField
          label={t('profile.displayName')}
          value={displayName}
          maxLength={DISPLAY_NAME_MAX}
          required
          disabled={!loaded}
          dir="auto"
          onChange={(event) => {
            setDisplayName(event.target.value);
            setSaved({ status: 'idle' });
          }}
        />
  <TextField
          label={t('profile.username')}
          value={username}
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          hint={t('profile.usernameNote')}
          problem={problem ? t(problem.key, problem.values) : null}
          onChange={(event) => {
            setTypedName(event.target.value);
            setSaved({ status: 'idle' });
          }}
        />
        <div className="field">
          <label className="field__label" htmlFor={bioId}>
            {t('profile.bio')}
          </label>
          <textarea
            id={bioId}
            className="field__input"
            value={bio}
            maxLength={BIO_MAX}
            rows={3}
            disabled={!loaded}
            dir="auto"
            onChange={(event) => {
              setBio(event.target.value);
              setSaved({ status: 'idle' });
            }}
          />
        </div>
        <div className="profile-form__actions">
          <button type="submit" className="button button--primary" disabled={!loaded || saved.status === 'saving' || displayName.trim() === ''}>
            {t('profile.save')}
          </button>
          <span role="status" className="profile-form__status">
            {saved.status === 'saved' ? t('profile.saved') : ''}
          </span>
        </div>
        {saved.status === 'failed' ? (
          <p className="account-form__alert" role="alert">
            {errorText(saved.error)}
          </p>
        ) : null}
      </form>
    </>
  );
}
