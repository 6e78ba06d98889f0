import type { Page } from '@playwright/test';

type PaintState = { clickAt: number | null; paintedAt: number | null };

/**
 * Times, inside the page, from the next click on a button (or the next input into a field) to the first animation frame whose
 * screen shows `text` inside the element named `containerLabel` (its box within the viewport).
 * Playwright's own polling of an assertion (0, 20, 100, 100, 500 ms apart) rounds what it
 * measures up to its next poll; a frame callback sees the frame itself. Install, act, then await
 * the returned promise. Plain script text: no transpiled helpers reach the page.
 */
export async function paintAfter(
  page: Page,
  startOn: 'click' | 'input',
  containerLabel: string,
  text: string,
  timeoutMs: number,
): Promise<() => Promise<number>> {
  await page.evaluate(`(() => {
    const state = { clickAt: null, paintedAt: null };
    window.__parleyPaint = state;
    const started = (event) => {
      if (state.clickAt !== null || !(event.target instanceof Element)) return;
      if (${JSON.stringify(startOn)} === 'input' || event.target.closest('button')) state.clickAt = performance.now();
    };
    document.addEventListener(${JSON.stringify(startOn)}, started, true);
    const frame = (now) => {
      if (state.clickAt !== null) {
        const container = document.querySelector('[aria-label=' + JSON.stringify(${JSON.stringify(containerLabel)}) + ']');
        const shown = container && [...container.querySelectorAll('*')].find((element) =>
          element.childElementCount === 0 && (element.textContent || '').includes(${JSON.stringify(text)}));
        if (shown) {
          const box = shown.getBoundingClientRect();
          if (box.height > 0 && box.bottom > 0 && box.top < window.innerHeight) { state.paintedAt = now; return; }
        }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`);
  return async () => {
    await page.waitForFunction(() => (globalThis as { __parleyPaint?: PaintState }).__parleyPaint?.paintedAt != null, undefined, {
      timeout: timeoutMs,
      polling: 50,
    });
    const state = (await page.evaluate('window.__parleyPaint')) as PaintState;
    if (state.clickAt === null || state.paintedAt === null) throw new Error(`paint probe incomplete: ${JSON.stringify(state)}`);
    return state.paintedAt - state.clickAt;
  };
}
