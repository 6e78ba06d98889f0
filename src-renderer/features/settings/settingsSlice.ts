import type { StateCreator } from 'zustand';
import type { AppState } from '../../app/appStore';

/** The pages of the Settings dialog: its two-pane main page, and Active sessions (A9). */
export type SettingsPage = 'main' | 'sessions';

/** The sections of Settings' main page, in the order its side list shows them (Active sessions is its own page). */
export const SETTINGS_SECTIONS = ['profile', 'privacy', 'sessions', 'data', 'appearance', 'shortcuts'] as const;
export type SettingsSection = Exclude<(typeof SETTINGS_SECTIONS)[number], 'sessions'>;

export type SettingsSlice = {
  settingsOpen: boolean;
  settingsPage: SettingsPage;
  settingsSection: SettingsSection;
  /** The page shown before this one (focus returns to what opened it). */
  settingsReturnedFrom: SettingsPage | null;
  openSettings(page?: SettingsPage): void;
  showSettingsPage(page: SettingsPage): void;
  showSettingsSection(section: SettingsSection): void;
  closeSettings(): void;
};

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  settingsOpen: false,
  settingsPage: 'main',
  settingsSection: 'profile',
  settingsReturnedFrom: null,
  openSettings: (page = 'main') => set({ settingsOpen: true, settingsPage: page, settingsReturnedFrom: null }),
  showSettingsPage: (page) => set((state) => ({ settingsPage: page, settingsReturnedFrom: state.settingsPage })),
  showSettingsSection: (settingsSection) => set({ settingsSection, settingsPage: 'main' }),
  closeSettings: () => set({ settingsOpen: false, settingsPage: 'main' }),
});
