import { useState } from 'react';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useAppStore, useBridge } from '../../app/appContext';

/**
 * Blocking one account (B3): whether I blocked them (as main holds it, synced between my
 * devices), and a switch. The block applies at once on every device: main drops what they send.
 */
export function useBlocking(accountId: string) {
  const bridge = useBridge();
  const blocked = useAppStore((state) => state.preferences?.blocked.includes(accountId) ?? false);
  const known = useAppStore((state) => state.preferences !== null);
  const setPreferences = useAppStore((state) => state.setPreferences);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const setBlocked = async (value: boolean) => {
    setBusy(true);
    setError(null);
    const answer = await bridge.preferences.change({ changes: [{ key: 'blocked', accountId, value }] });
    setBusy(false);
    if (answer.ok) setPreferences(answer.value);
    else setError(answer.error);
    return answer.ok;
  };

  return { blocked, known, busy, error, setBlocked };
}
