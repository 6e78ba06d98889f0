import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AVATAR_FILE_MAX_BYTES } from '../../../src-shared/domain/profile';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';
import { Avatar } from '../../ui/Avatar';
import { base64Of } from '../../ui/base64';
import { useErrorText } from '../account/useErrorText';
import { useSession } from '../session/sessionContext';
import { useOwnAvatar } from './useOwnAvatar';

type Status = { status: 'idle' | 'saving' | 'saved' | 'removed' } | { status: 'failed'; error: IpcError } | { status: 'too_large' };

const ACCEPTED = 'image/png,image/jpeg,image/webp,image/gif,image/avif,image/tiff';

/**
 * My avatar in Edit profile (A4): Choose avatar opens the system's file picker; main crops,
 * scales, strips and seals the picture. Remove avatar takes it back from everyone.
 */
export function AvatarPicker({ shownName }: { shownName: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const { account } = useSession();
  const image = useOwnAvatar();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<Status>({ status: 'idle' });

  const picked = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // the same file may be picked again
    if (!file) return;
    if (file.size > AVATAR_FILE_MAX_BYTES) return setState({ status: 'too_large' });
    setState({ status: 'saving' });
    const answer = await bridge.profile.setAvatar({ file: base64Of(new Uint8Array(await file.arrayBuffer())) });
    setState(answer.ok ? { status: 'saved' } : { status: 'failed', error: answer.error });
  };

  const remove = async () => {
    setState({ status: 'saving' });
    const answer = await bridge.profile.removeAvatar({});
    setState(answer.ok ? { status: 'removed' } : { status: 'failed', error: answer.error });
  };

  const statusText = { saving: t('profile.avatarSaving'), saved: t('profile.avatarSaved'), removed: t('profile.avatarRemoved') } as Record<string, string>;
  return (
    <div className="avatar-picker">
      <div className="settings-account">
        <Avatar accountId={account.accountId} name={shownName} size="large" image={image} />
        <div>
          <p className="settings-account__name" dir="auto">
            {shownName}
          </p>
          <p className="settings-account__username">@{account.username}</p>
        </div>
      </div>
      <div className="avatar-picker__actions">
        <button type="button" className="button" disabled={state.status === 'saving'} onClick={() => input.current?.click()}>
          {t('profile.chooseAvatar')}
        </button>
        {image ? (
          <button type="button" className="button" disabled={state.status === 'saving'} onClick={() => void remove()}>
            {t('profile.removeAvatar')}
          </button>
        ) : null}
        <span role="status" className="profile-form__status">
          {statusText[state.status] ?? ''}
        </span>
        <input ref={input} type="file" accept={ACCEPTED} hidden tabIndex={-1} onChange={(event) => void picked(event)} />
      </div>
      <p className="settings-section__note">{t('profile.avatarNote')}</p>
      {state.status === 'failed' || state.status === 'too_large' ? (
        <p className="account-form__alert" role="alert">
          {state.status === 'failed' ? errorText(state.error) : t('profile.avatarTooLarge')}
        </p>
      ) : null}
    </div>
  );
}
