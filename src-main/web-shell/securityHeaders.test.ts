import { describe, expect, it } from 'vitest';
import { IMMUTABLE_ASSET, securityHeaders } from './securityHeaders';

describe('web shell security headers', () => {
  it('caches only content-hashed assets, and nothing else', () => {
    expect(securityHeaders('http://127.0.0.1:1')['Cache-Control']).toBe('no-store');
    expect(securityHeaders('http://127.0.0.1:1', 'immutable')['Cache-Control']).toBe('private, max-age=31536000, immutable');
    for (const path of ['/assets/index-DHeMJ7gC.js', '/assets/index-D6tlSFcE.css', '/assets/SignedIn-a_b-c1d2.js']) {
      expect(IMMUTABLE_ASSET.test(path)).toBe(true);
    }
    for (const path of ['/', '/index.html', '/parley-bridge.js', '/themeBoot.js', '/assets/app.js', '/assets/a-DHeMJ7gC.svg', '/x/assets/i-DHeMJ7gC.js']) {
      expect(IMMUTABLE_ASSET.test(path)).toBe(false);
    }
  });
});
