import { describe, expect, it } from 'vitest';
import { hasDisplay, openChromiumWindow } from './chromiumWindow';

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
    expect(outcome).toEqual({ opened: false, reason: expect.stringContaining('PARLEY_CHROMIUM names /nonexistent/chromium, which does not exist') });
  });

  it('needs a display on Linux only', () => {
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'darwin')).toBe(true);
  });
});
