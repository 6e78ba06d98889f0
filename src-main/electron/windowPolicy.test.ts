import { describe, expect, it } from 'vitest';
import { isAppUrl } from './appProtocol';
import { externalLinkTarget, isAllowedRequest, permissionDecision, secureWebPreferences } from './windowPolicy';

describe('secureWebPreferences', () => {
  it('isolates, sandboxes and strips Node from the page, whatever the defaults of this Electron are', () => {
    const preferences = secureWebPreferences({ preload: '/app/preload.js', devTools: false });
    expect(preferences).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
    expect(secureWebPreferences({ preload: '/app/preload.js', devTools: true }).devTools).toBe(true);
  });
});

describe('externalLinkTarget', () => {
  it('hands plain https links to the OS browser, normalised', () => {
    expect(externalLinkTarget('https://example.org/a b?q=1#x')).toBe('https://example.org/a%20b?q=1#x');
    expect(externalLinkTarget('HTTPS://EXAMPLE.org')).toBe('https://example.org/');
  });

  it('refuses every other scheme, credentials, garbage and overlong addresses', () => {
    for (const url of [
      'http://example.org/',
      'file:///etc/passwd',
      'smb://server/share',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'parley://app/index.html',
      'ms-msdt:/id PCWDiagnostic',
      'https://user:secret@example.org/',
      'https://',
      'not a url',
      `https://example.org/${'a'.repeat(2_100)}`,
    ]) {
      expect(externalLinkTarget(url), url).toBeUndefined();
    }
  });
});

describe('permissionDecision', () => {
  it('denies every permission, to our page as to any other', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'fullscreen', 'unknown']) {
      expect(permissionDecision(permission, 'parley://app/index.html', isAppUrl), permission).toBe(false);
      expect(permissionDecision(permission, 'https://evil.example/', isAppUrl), permission).toBe(false);
    }
  });
});

describe('isAllowedRequest', () => {
  it("lets the page load only the app's own files and data it made itself", () => {
    expect(isAllowedRequest('parley://app/assets/index.js')).toBe(true);
    expect(isAllowedRequest('blob:parley://app/5e1c')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
  });

  it('cancels the network and the disk', () => {
    for (const url of ['https://tracker.example/pixel.gif', 'http://127.0.0.1:7180/', 'wss://server.example/', 'ws://127.0.0.1:1/', 'file:///etc/passwd', 'ftp://x/', 'garbage']) {
      expect(isAllowedRequest(url), url).toBe(false);
    }
  });
});
