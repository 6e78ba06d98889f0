import { useAppStore } from '../../app/appContext';

/** The name I saved for this account (A5), synced between my devices; undefined while there is none. */
export function useSavedName(accountId: string): string | undefined {
  return useAppStore((state) => savedNameIn(state.preferences?.contactNames, accountId));
}

/** The saved name in a map of them (its own keys only: an account id is never a prototype's). */
export function savedNameIn(names: Record<string, string> | undefined, accountId: string): string | undefined {
  return names && Object.hasOwn(names, accountId) ? names[accountId] : undefined;
}
