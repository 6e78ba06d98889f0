import type { Page } from '@playwright/test';

/** What the probe watches for, each the first frame it is on screen in. */
export type ShownName = 'sign-in' | 'chat list';

/**
 * A script for every page of the app (AppOptions.initScript), from before the app's own: on each
 * animation frame until both are seen, it notes the first frame (its start, as epoch milliseconds)
 * showing the sign-in button, and the first showing an editable Search box beside a chat list
 * row of `chatName`. Waiting on these instead of on Playwright's expect() keeps the measurement
 * honest twice over: expect() polls at widening intervals (a screen that appears just after a
 * poll is seen up to 250 ms late), and each failed poll builds an aria snapshot of the whole
 * page on the page's main thread, which the app's own start then waits behind.
 */
export function shownProbeScript(chatName: string): string {
  return `(() => {
    const shown = (window.__parleyShown = {});
    const visible = (element) => { const box = element.getBoundingClientRect(); return box.height > 0 && box.bottom > 0 && box.top < innerHeight; };
    const checks = {
      'sign-in': () => [...document.querySelectorAll('button')].some((button) => button.textContent.trim() === 'Sign in' && visible(button)),
      'chat list': () => {
        const box = document.querySelector('input[aria-label="Search"]');
        const list = document.querySelector('[aria-label="Chats"]');
        return !!box && !box.disabled && !box.readOnly && !!list &&
          [...list.querySelectorAll('li')].some((row) => row.textContent.includes(${JSON.stringify(chatName)}) && visible(row));
      },
    };
    const frame = (now) => {
      if (document.body) for (const [name, check] of Object.entries(checks)) if (shown[name] === undefined && check()) shown[name] = performance.timeOrigin + now;
      if (Object.keys(shown).length < Object.keys(checks).length) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`;
}

/**
 * When the first frame that showed `name` in this page began (waits for it), on this process's
 * clock: the page's epoch time is taken over with the two clocks' offset measured now (the page's
 * clock read between two of ours), so a clock set between the two processes' starts adds nothing.
 */
export async function shownAt(page: Page, name: ShownName, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    (wanted) => (globalThis as { __parleyShown?: Record<string, number> }).__parleyShown?.[wanted],
    name,
    { timeout: timeoutMs, polling: 50 },
  );
  const shown = (await handle.jsonValue()) as number;
  const before = epochNow();
  const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
  const after = epochNow();
  return shown - (pageNow - (before + after) / 2);
}

/** Now, as epoch milliseconds with performance.now()'s resolution: comparable with shownAt's. */
export const epochNow = () => performance.timeOrigin + performance.now();
