// @vitest-environment jsdom
import '../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { prepareAppTests } from '../testing/appTestSetup';
import { renderApp, signedInAs } from '../testing/renderApp';

// The signed-in app's chunk cannot be had (replaced by an update while the window was open).
vi.mock('./SignedInApp', () => {
  throw new Error('the chunk is gone');
});

prepareAppTests();

describe('the signed-in app, when its chunk cannot be loaded', () => {
  it('says so with a way to reload, instead of a blank window', async () => {
    renderApp({ ...signedInAs('alice') });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Part of Parley could not be loaded');
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Chats' })).toBeNull();
  });
});
