import { useEffect } from 'react';

/** What Settings offers; 'system' follows the OS (prefers-color-scheme) as it changes. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
/** The history setting that holds the choice (a constant name: setting names are stored in clear). */
export const THEME_SETTING = 'theme';
/**
 * A copy of the choice in localStorage, so the sign-in screen (before the history is open) and
 * the first paint after a restart already have it. It says only light or dark, nothing personal.
 */
export const BOOT_THEME_KEY = 'parley.theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function parseThemeChoice(value: unknown): ThemeChoice {
  return value === 'light' || value === 'dark' || value === 'system' ? value : 'system';
}

export function systemTheme(view: Window = window): Theme {
  return view.matchMedia?.(DARK_QUERY).matches ? 'dark' : 'light';
}

export function resolveTheme(choice: ThemeChoice, view: Window = window): Theme {
  return choice === 'system' ? systemTheme(view) : choice;
}

/** Sets `data-theme` on <html>; the style sheets pick their colours from it. */
export function applyTheme(choice: ThemeChoice, view: Window = window): Theme {
  const theme = resolveTheme(choice, view);
  const root = view.document.documentElement;
  root.dataset.theme = theme;
  root.dataset.themeChoice = choice;
  return theme;
}

export function readBootTheme(view: Window = window): ThemeChoice {
  try {
    return parseThemeChoice(view.localStorage.getItem(BOOT_THEME_KEY));
  } catch {
    return 'system'; // storage may be off; the OS's preference is a fine start
  }
}

export function rememberBootTheme(choice: ThemeChoice, view: Window = window): void {
  try {
    view.localStorage.setItem(BOOT_THEME_KEY, choice);
  } catch {
    // Only the next start's first paint is affected.
  }
}

/** Applies a choice and, for 'system', follows the OS while it is mounted. */
export function useAppliedTheme(choice: ThemeChoice): void {
  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system' || !window.matchMedia) return;
    const query = window.matchMedia(DARK_QUERY);
    const follow = () => applyTheme('system');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [choice]);
}
