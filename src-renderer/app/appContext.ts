import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ParleyBridge } from '../../src-shared/ipc/bridge';
import type { AppState, AppStore } from './appStore';

/** What every screen needs: the bridge to main and the UI store. Given once by <App>. */
export type AppContextValue = { bridge: ParleyBridge; store: AppStore };

export const AppContext = createContext<AppContextValue | null>(null);

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('useAppContext outside <App>');
  return value;
}

export function useBridge(): ParleyBridge {
  return useAppContext().bridge;
}

/** The store itself, for event handlers that read state without re-rendering on it. */
export function useAppStoreApi(): AppStore {
  return useAppContext().store;
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}
