// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { failure } from '../../../src-shared/ipc/result';
import { renderApp } from '../../testing/renderApp';

afterEach(cleanup);

const fill = async (label: string, value: string) => fireEvent.change(await screen.findByLabelText(label), { target: { value } });

describe('sign up', () => {
  it('registers with the username and password typed, then opens the signed-in app', async () => {
    const { main } = renderApp();
    await fill('Username', '@Alice_1');
    await fill('Password', 'a long enough password');
    fireEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    await screen.findByRole('list', { name: 'Chats' });
    // The contract's schema trims '@' and lower-cases; the form hands over what was typed.
    expect(main.callsTo('account', 'register')).toEqual([{ username: '@Alice_1', password: 'a long enough password' }]);
    expect(main.callsTo('account', 'historyKey')).toHaveLength(1);
    expect(screen.getByRole('textbox', { name: 'Search' })).toBeTruthy();
  });

  it('checks the fields with the contract’s rules before asking main', async () => {
    const { main } = renderApp();
    await fill('Username', '9lives');
    await fill('Password', 'short');
    fireEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('Use only letters, digits and underscores, and start with a letter.')).toBeTruthy();
    expect(screen.getByText('A password has at least 8 characters.')).toBeTruthy();
    expect(screen.getByLabelText('Username').getAttribute('aria-invalid')).toBe('true');
    await fill('Username', 'ab');
    expect(await screen.findByText('A username has at least 3 characters.')).toBeTruthy();
    await fill('Username', `a${'b'.repeat(32)}`);
    expect(await screen.findByText('A username has at most 32 characters.')).toBeTruthy();
    expect(main.callsTo('account', 'register')).toEqual([]);
  });

  it('shows main’s refusal in the alert region and lets the user try again', async () => {
    const { main } = renderApp({ directory: { bob: '00000000-0000-4000-8000-000000000b0b' } });
    await fill('Username', 'bob');
    await fill('Password', 'a long enough password');
    fireEvent.click(await screen.findByRole('button', { name: 'Create account' }));
    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(alert.textContent).toBe('That username is taken. Try another one.'));

    main.override('account', 'register', () => failure('unreachable', 'connect ECONNREFUSED'));
    await fill('Username', 'bobby');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The server cannot be reached. Check your connection and try again.'));

    main.override('account', 'register', () => failure('internal', 'the vault is full of bees'));
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Something went wrong: the vault is full of bees'));
  });

  it('follows state changes main announces', async () => {
    const { main } = renderApp();
    await screen.findByRole('button', { name: 'Create account' });
    main.state = { status: 'locked', username: 'carol' };
    main.emit('account', 'onDidChangeState', main.state);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});

describe('sign in', () => {
  it('unlocks a locked profile with its password and shows a wrong one as an alert', async () => {
    const { main } = renderApp({ state: { status: 'locked', username: 'dana' }, password: 'the right password' });
    expect(((await screen.findByLabelText('Username')) as HTMLInputElement).value).toBe('dana');
    expect((screen.getByLabelText('Username') as HTMLInputElement).readOnly).toBe(true);
    await fill('Password', 'not it');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Wrong password. Try again.'));
    await fill('Password', 'the right password');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('list', { name: 'Chats' });
    expect(main.callsTo('account', 'unlock')).toEqual([{ password: 'not it' }, { password: 'the right password' }]);
  });

  it('says why when the page has no bridge to main', async () => {
    const { MissingBridge } = await import('../../app/MissingBridge');
    const { render } = await import('@testing-library/react');
    const { createI18n } = await import('../../i18n/createI18n');
    const { wrapBridge } = await import('../../bridge');
    const lookup = wrapBridge(undefined);
    expect(lookup).toEqual({ ok: false, missing: ['window.parley'] });
    render(<MissingBridge missing={lookup.ok ? [] : lookup.missing} i18n={createI18n()} />);
    expect(screen.getByRole('alert').textContent).toContain('Parley cannot start here');
  });
});
