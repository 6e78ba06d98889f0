// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSetting } from '../../data';
import { applyTheme, BOOT_THEME_KEY, THEME_SETTING } from '../../app/theme';
import { installFakeLayout } from '../../testing/layout';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends, openHistoryOf } from '../../testing/seed';

installFakeLayout();

/** A stand-in for the OS's light/dark preference that tests can flip. */
function fakeColourScheme(dark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    get matches() {
      return dark;
    },
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  };
  vi.spyOn(window, 'matchMedia').mockImplementation(() => query as unknown as MediaQueryList);
  return {
    set(next: boolean) {
      dark = next;
      for (const listener of listeners) listener();
    },
  };
}

beforeEach(() => {
  // jsdom has no matchMedia; give it one to replace.
  window.matchMedia ??= (() => ({ matches: false, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const theme = () => document.documentElement.dataset.theme;

describe('theme', () => {
  it('starts from the system preference, before and after signing in', async () => {
    fakeColourScheme(true);
    renderApp();
    await screen.findByRole('button', { name: 'Create account' });
    expect(theme()).toBe('dark');
  });

  it('switches in Settings, is kept in the history and remembered for the next first paint', async () => {
    const system = fakeColourScheme(false);
    const seed = aliceWithFriends();
    renderApp(seed.options);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    expect(dialog.textContent).toContain('@alice');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Appearance' }));
    await waitFor(() => expect((screen.getByRole('radio', { name: 'System' }) as HTMLInputElement).checked).toBe(true));
    expect(theme()).toBe('light');

    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(theme()).toBe('dark'));
    expect(localStorage.getItem(BOOT_THEME_KEY)).toBe('dark');
    const history = await openHistoryOf(seed.account.accountId);
    try {
      expect(await readSetting(history, THEME_SETTING)).toBe('dark');
    } finally {
      history.close();
    }

    fireEvent.click(screen.getByRole('radio', { name: 'Light' }));
    await waitFor(() => expect(theme()).toBe('light'));
    fireEvent.click(screen.getByRole('radio', { name: 'System' }));
    await waitFor(() => expect(document.documentElement.dataset.themeChoice).toBe('system'));
    // Following the OS while it changes.
    system.set(true);
    expect(theme()).toBe('dark');
    system.set(false);
    expect(theme()).toBe('light');

    fireEvent.keyDown(document, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('the boot copy applies an explicit choice over the system preference', () => {
    fakeColourScheme(true);
    expect(applyTheme('light')).toBe('light');
    expect(theme()).toBe('light');
    expect(applyTheme('system')).toBe('dark');
  });
});
