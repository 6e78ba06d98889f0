// @vitest-environment jsdom
import '../../testing/jsdomRealm';
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeUuid, incomingMessage } from '../../testing/fakeMain';
import { installFakeLayout } from '../../testing/layout';
import { renderApp, signedInAs } from '../../testing/renderApp';

const CHATS = 2_000;
const ROW_PX = 64;

installFakeLayout();
beforeEach(() => {
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
  // jsdom lays nothing out (the fake layout makes every element as tall as the viewport): give
  // each chat row its real height, which is what the virtual list measures.
  const viewportHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight')?.get;
  Object.defineProperty(HTMLLIElement.prototype, 'offsetHeight', {
    configurable: true,
    get(this: HTMLLIElement) {
      return this.classList.contains('chat-list__item') ? ROW_PX : viewportHeight?.call(this);
    },
  });
});
afterEach(() => {
  cleanup();
  delete (HTMLLIElement.prototype as unknown as Record<string, unknown>).offsetHeight;
  vi.restoreAllMocks();
});

describe('chat list', () => {
  it('renders only the chats on screen of thousands, each telling its place in the whole list', async () => {
    const options = signedInAs('alice');
    const { main } = renderApp(options);
    const now = Date.now();
    main.inbox = Array.from({ length: CHATS }, (_, index) => incomingMessage(fakeUuid(), `Message number ${index}`, now - index * 1_000));
    main.emit('messaging', 'onDidReceive', null);

    const list = await screen.findByRole('list', { name: 'Chats' }, { timeout: 10_000 }); // the signed-in chunk loads first
    await waitFor(() => expect(within(list).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe(String(CHATS)), { timeout: 60_000 });
    const items = within(list).getAllByRole('listitem');
    // What fits the viewport plus the overscan: a few dozen at most, not thousands.
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(40);
    expect(items[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(within(items[0] as HTMLElement).getByRole('button').textContent).toContain('Message number 0');
    expect(list.style.height).toBe(`${CHATS * ROW_PX}px`);
  }, 90_000);

  it('scrolls the chat the keyboard moves to into view', async () => {
    const options = signedInAs('alice');
    const { main, store } = renderApp(options);
    const now = Date.now();
    main.inbox = Array.from({ length: 300 }, (_, index) => incomingMessage(fakeUuid(), `Chat ${index}`, now - index * 1_000));
    main.emit('messaging', 'onDidReceive', null);
    const list = await screen.findByRole('list', { name: 'Chats' }, { timeout: 10_000 }); // the signed-in chunk loads first
    await waitFor(() => expect(within(list).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('300'), { timeout: 20_000 });
    const scroller = list.parentElement as HTMLElement;
    // jsdom does not scroll: keep the offset the list asks for, as a browser would.
    const scrolledTo: number[] = [];
    let scrollTop = 0;
    Object.defineProperty(scroller, 'scrollTop', { configurable: true, get: () => scrollTop, set: (value: number) => void (scrollTop = value) });
    Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: () => Number.parseFloat(list.style.height) });
    scroller.scrollTo = ((options: ScrollToOptions) => {
      scrolledTo.push(options.top ?? 0);
      scrollTop = options.top ?? 0;
      scroller.dispatchEvent(new Event('scroll'));
    }) as typeof scroller.scrollTo;
    // From no chat, "previous" wraps to the last (the oldest): far below the first screen.
    fireEvent.keyDown(document.body, { key: 'Tab', ctrlKey: true, shiftKey: true });
    // Generous waits: on a loaded two-core machine 300 rows take more than waitFor's default second.
    await waitFor(() => expect(store.getState().selectedChatId).not.toBeNull(), { timeout: 10_000 });
    await waitFor(() => expect(within(list).getByRole('button', { current: true }).textContent).toContain('Chat 299'), { timeout: 10_000 });
    expect(Math.max(...scrolledTo)).toBeGreaterThan(250 * ROW_PX);
  }, 30_000);
});
