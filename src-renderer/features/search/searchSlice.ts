import type { StateCreator } from 'zustand';
import type { AppState } from '../../app/appStore';

export type SearchSlice = {
  searchQuery: string;
  setSearchQuery(query: string): void;
};

export const createSearchSlice: StateCreator<AppState, [], [], SearchSlice> = (set) => ({
  searchQuery: '',
  setSearchQuery: (searchQuery) => set({ searchQuery }),
});
