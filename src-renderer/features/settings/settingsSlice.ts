import type { StateCreator } from 'zustand';
import type { AppState } from '../../app/appStore';

/** The pages of the Settings dialog: its main page, and Active sessions (A9). */
export type SettingsPage = 'main' | 'sessions';

export type SettingsSlice = {
  settingsOpen: boolean;
  settingsPage: SettingsPage;
  openSettings(page?: SettingsPage): void;
  showSettingsPage(page: SettingsPage): void;
  closeSettings(): void;
};

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  settingsOpen: false,
  settingsPage: 'main',
  openSettings: (page = 'main') => set({ settingsOpen: true, settingsPage: page }),
  showSettingsPage: (page) => set({ settingsPage: page }),
  closeSettings: () => set({ settingsOpen: false, settingsPage: 'main' }),
});
