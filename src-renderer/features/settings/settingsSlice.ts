import type { StateCreator } from 'zustand';
import type { AppState } from '../../app/appStore';

export type SettingsSlice = {
  settingsOpen: boolean;
  openSettings(): void;
  closeSettings(): void;
};

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  settingsOpen: false,
  openSettings: () => set({ settingsOpen: true }),
  closeSettings: () => set({ settingsOpen: false }),
});
