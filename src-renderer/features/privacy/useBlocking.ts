import { useAppStore } from '../../app/appContext';
import { usePreferenceChange } from './usePreferenceChange';

/**
 * Blocking one account (B3): whether I blocked them (as main holds it, synced between my
 * devices), and a switch. The block applies at once on every device: main drops what they send.
 */
export function useBlocking(accountId: string) {
  const blocked = useAppStore((state) => state.preferences?.blocked.includes(accountId) ?? false);
  const known = useAppStore((state) => state.preferences !== null);
  const { busy, error, change } = usePreferenceChange();
  const setBlocked = (value: boolean) => change({ key: 'blocked', accountId, value });
  return { blocked, known, busy, error, setBlocked };
}
