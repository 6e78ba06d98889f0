import { describe, expect, it } from 'vitest';
import { openChromiumWindow } from './chromiumWindow';

describe('openChromiumWindow', () => {
  it('opens nothing, and says why, without a display', () => {
    const outcome = openChromiumWindow({ url: 'http://127.0.0.1:1/', userDataDir: '/nonexistent', environment: {}, platform: 'linux' });
    expect(outcome).toEqual({ opened: false, reason: expect.stringContaining('no display') });
  });

  it('opens nothing, and says why, without the browser', () => {
    const outcome = openChromiumWindow({
      url: 'http://127.0.0.1:1/',
      userDataDir: '/nonexistent',
      environment: { DISPLAY: ':0', PARLEY_CHROMIUM: '/nonexistent/chromium' },
      platform: 'linux',
    });
    expect(outcome).toEqual({ opened: false, reason: expect.stringContaining('/nonexistent/chromium does not exist') });
  });
});
