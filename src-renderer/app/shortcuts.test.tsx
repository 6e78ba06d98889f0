// @vitest-environment jsdom
import '../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { prepareAppTests } from '../testing/appTestSetup';
import { renderApp } from '../testing/renderApp';
import { aliceWithFriends } from '../testing/seed';
import { describeChord, SHORTCUTS, shortcutFor } from './shortcuts';

prepareAppTests();

const key = (init: Partial<KeyboardEvent> & { key: string }) => ({ ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...init });

describe('shortcut table', () => {
  it('maps each chord to one action, modifiers exactly', () => {
    expect(shortcutFor(key({ key: 'k', ctrlKey: true }))).toBe('focusSearch');
    expect(shortcutFor(key({ key: 'K', metaKey: true }))).toBe('focusSearch');
    expect(shortcutFor(key({ key: 'f', ctrlKey: true }))).toBe('focusSearch');
    expect(shortcutFor(key({ key: 'ArrowDown', altKey: true }))).toBe('nextChat');
    expect(shortcutFor(key({ key: 'Tab', ctrlKey: true }))).toBe('nextChat');
    expect(shortcutFor(key({ key: 'Tab', ctrlKey: true, shiftKey: true }))).toBe('previousChat');
    expect(shortcutFor(key({ key: 'ArrowUp', altKey: true }))).toBe('previousChat');
    expect(shortcutFor(key({ key: 'l', ctrlKey: true }))).toBe('focusComposer');
    expect(shortcutFor(key({ key: ',', ctrlKey: true }))).toBe('openSettings');
    expect(shortcutFor(key({ key: 'k' }))).toBeNull();
    expect(shortcutFor(key({ key: 'k', ctrlKey: true, shiftKey: true }))).toBeNull();
    const chords = SHORTCUTS.flatMap((shortcut) => shortcut.chords.map((chord) => describeChord(chord)));
    expect(new Set(chords).size).toBe(chords.length);
    expect(chords).toContain('Ctrl+Shift+Tab');
  });
});

describe('shortcuts in the app', () => {
  it('focus Search, move between chats, focus the composer and open Settings', async () => {
    const seed = aliceWithFriends();
    const { main } = renderApp(seed.options);
    main.inbox = seed.inbox;
    main.emit('messaging', 'onDidReceive', null);
    const list = await screen.findByRole('list', { name: 'Chats' });
    await within(list).findByRole('button', { name: /^carol/ });

    fireEvent.keyDown(document.body, { key: 'k', ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Search' }));

    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await screen.findByRole('heading', { name: 'bob' });
    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await screen.findByRole('heading', { name: 'carol' });
    fireEvent.keyDown(document.body, { key: 'Tab', ctrlKey: true, shiftKey: true });
    await screen.findByRole('heading', { name: 'bob' });
    fireEvent.keyDown(document.body, { key: 'ArrowUp', altKey: true });
    await screen.findByRole('heading', { name: 'carol' });

    fireEvent.keyDown(document.body, { key: 'k', ctrlKey: true });
    fireEvent.keyDown(document.body, { key: 'l', ctrlKey: true });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' })));

    fireEvent.keyDown(document.body, { key: ',', ctrlKey: true });
    await screen.findByRole('dialog', { name: 'Settings' });
    // While the dialog is open, chat shortcuts wait.
    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    expect(screen.getByRole('heading', { name: 'carol' })).toBeTruthy();
  });
});
