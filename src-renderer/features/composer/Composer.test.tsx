// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../src-shared/domain/limits';
import { failure } from '../../../src-shared/ipc/result';
import { getChat } from '../../data';
import { prepareAppTests } from '../../testing/appTestSetup';
import { renderApp } from '../../testing/renderApp';
import { aliceWithFriends, openHistoryOf } from '../../testing/seed';

prepareAppTests();

async function openChatWith(name: string) {
  const list = await screen.findByRole('list', { name: 'Chats' });
  fireEvent.click(await within(list).findByRole('button', { name: new RegExp(`^${name}`) }));
  await screen.findByRole('heading', { name });
  return (await screen.findByRole('textbox', { name: 'Message' })) as HTMLTextAreaElement;
}

async function startWithFriends(autoSent = false) {
  const seed = aliceWithFriends();
  const rendered = renderApp({ ...seed.options, autoSent });
  rendered.main.inbox = seed.inbox;
  rendered.main.emit('messaging', 'onDidReceive', null);
  return { ...rendered, seed };
}

const type = (input: HTMLTextAreaElement, value: string) => fireEvent.change(input, { target: { value } });

describe('composer', () => {
  it('Enter sends and clears; the message shows as mine with its ticks moving to "Sent"', async () => {
    const { main, seed } = await startWithFriends(true);
    const input = await openChatWith('bob');
    type(input, 'First line\nsecond line');
    // Shift+Enter is a new line: nothing is sent and the key is left to the textarea.
    expect(fireEvent.keyDown(input, { key: 'Enter', shiftKey: true })).toBe(true);
    expect(main.callsTo('messaging', 'sendText')).toEqual([]);
    expect(fireEvent.keyDown(input, { key: 'Enter' })).toBe(false);
    expect(main.callsTo('messaging', 'sendText')).toEqual([{ to: seed.bob, text: 'First line\nsecond line' }]);
    expect(input.value).toBe('');
    const log = screen.getByRole('log', { name: 'Messages' });
    const mine = (await within(log).findByText('First line\nsecond line', { normalizer: (text) => text })).closest('.message');
    expect(mine?.classList.contains('message--out')).toBe(true);
    await waitFor(() => expect(within(mine as HTMLElement).getByRole('img', { name: 'Sent' })).toBeTruthy());
  });

  it('does not send while an IME composition is under way, nor an empty or blank message', async () => {
    const { main } = await startWithFriends();
    const input = await openChatWith('bob');
    fireEvent.keyDown(input, { key: 'Enter' });
    type(input, '   \n ');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    type(input, 'にほん');
    fireEvent.keyDown(input, { key: 'Enter', isComposing: true });
    expect(main.callsTo('messaging', 'sendText')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(main.callsTo('messaging', 'sendText')).toHaveLength(1);
  });

  it('keeps a draft per chat, shows it in the chat list, and saves it in the history', async () => {
    const { seed } = await startWithFriends();
    let input = await openChatWith('bob');
    type(input, 'Dear Bob,');
    input = await openChatWith('carol');
    expect(input.value).toBe('');
    type(input, 'Dear Carol,');
    const list = screen.getByRole('list', { name: 'Chats' });
    await waitFor(() => expect(within(list).getByRole('button', { name: /^bob/ }).textContent).toContain('Draft: Dear Bob,'));
    input = await openChatWith('bob');
    expect(input.value).toBe('Dear Bob,');
    input = await openChatWith('carol');
    expect(input.value).toBe('Dear Carol,');
    const history = await openHistoryOf(seed.account.accountId);
    try {
      await waitFor(async () => expect((await getChat(history, seed.bob))?.draft).toBe('Dear Bob,'));
    } finally {
      history.close();
    }
  });

  it('saves the draft at once when the window closes, not only after typing pauses', async () => {
    const { seed } = await startWithFriends();
    const input = await openChatWith('bob');
    // The pause timer never fires here: only the page being hidden can save the draft.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      type(input, 'Typed just before quitting');
      window.dispatchEvent(new Event('pagehide'));
      const history = await openHistoryOf(seed.account.accountId);
      try {
        let draft: string | undefined;
        for (let attempt = 0; attempt < 200 && draft !== 'Typed just before quitting'; attempt += 1) {
          await new Promise((resolve) => setImmediate(resolve));
          draft = (await getChat(history, seed.bob))?.draft;
        }
        expect(draft).toBe('Typed just before quitting');
      } finally {
        history.close();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells bob I am typing at most every few seconds, and that I stopped when I send', async () => {
    const { main, seed } = await startWithFriends();
    const input = await openChatWith('bob');
    type(input, 'H');
    type(input, 'He');
    type(input, 'Hey');
    expect(main.callsTo('messaging', 'sendTyping')).toEqual([{ to: seed.bob, typing: true }]);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(main.callsTo('messaging', 'sendTyping')).toEqual([
      { to: seed.bob, typing: true },
      { to: seed.bob, typing: false },
    ]);
    type(input, 'x');
    type(input, '');
    expect(main.callsTo('messaging', 'sendTyping').slice(2)).toEqual([
      { to: seed.bob, typing: true },
      { to: seed.bob, typing: false },
    ]);
  });

  it('shows a counter near the limit and refuses to send past it', async () => {
    const { main } = await startWithFriends();
    const input = await openChatWith('bob');
    type(input, 'a'.repeat(LIMITS.textMaxLength - 10));
    expect(screen.getByText('10 characters left')).toBeTruthy();
    type(input, 'a'.repeat(LIMITS.textMaxLength + 1));
    expect(screen.getByText('1 character over the limit')).toBeTruthy();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(main.callsTo('messaging', 'sendText')).toEqual([]);
  });

  it('gives the text back and says why when main refuses the message', async () => {
    const { main } = await startWithFriends();
    main.override('messaging', 'sendText', () => failure('not_signed_in', 'signed out'));
    const input = await openChatWith('bob');
    type(input, 'Will this go?');
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Not sent: You are signed out. Sign in again.'));
    expect(input.value).toBe('Will this go?');
  });
});
