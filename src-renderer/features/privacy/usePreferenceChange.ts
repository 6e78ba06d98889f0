import { useState } from 'react';
import type { PreferenceChange } from '../../../src-shared/domain/preferences';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useAppStore, useBridge } from '../../app/appContext';

/**
 * A change to the synced settings (the block list, contacts, saved names, privacy choices) as
 * every control makes it: main applies it and syncs it to my other devices; the app state takes
 * main's answer. `change` resolves true once applied; a refusal is in `error`.
 */
export function usePreferenceChange() {
  const bridge = useBridge();
  const setPreferences = useAppStore((state) => state.setPreferences);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const change = async (...changes: PreferenceChange[]): Promise<boolean> => {
    setBusy(true);
    setError(null);
    const answer = await bridge.preferences.change({ changes });
    setBusy(false);
    if (answer.ok) setPreferences(answer.value);
    else setError(answer.error);
    return answer.ok;
  };

  return { busy, error, change };
}
