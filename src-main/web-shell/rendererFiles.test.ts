import { describe, expect, it } from 'vitest';
import { injectBridgeScript, rendererPathSegments } from './rendererFiles';

describe('renderer paths', () => {
  it.each([
    ['/', []],
    ['/index.html', ['index.html']],
    ['/assets/app-1a2b.js', ['assets', 'app-1a2b.js']],
    ['//assets//a%20b.css', ['assets', 'a b.css']],
  ])('reads %s as %j', (path, segments) => {
    expect(rendererPathSegments(path)).toEqual(segments);
  });

  it.each(['/../x', '/a/../../x', '/%2e%2e/x', '/%2E%2e%2fx', '/a%5c..%5cx', '/a%00', '/.env', '/%', 'assets/x', 'http://h/x'])(
    'refuses %s',
    (path) => {
      expect(rendererPathSegments(path)).toBeUndefined();
    },
  );
});

describe('injectBridgeScript', () => {
  it('puts the bridge before the first script, or at the end of head', () => {
    expect(injectBridgeScript('<head><SCRIPT type="module" src="a.js"></SCRIPT></head>')).toBe(
      '<head><script src="/parley-bridge.js"></script>\n<SCRIPT type="module" src="a.js"></SCRIPT></head>',
    );
    expect(injectBridgeScript('<head><title>x</title></head><body><script>1</script></body>')).toBe(
      '<head><title>x</title></head><body><script src="/parley-bridge.js"></script>\n<script>1</script></body>',
    );
    expect(injectBridgeScript('<html><head><title>x</title></HEAD><body></body></html>')).toBe(
      '<html><head><title>x</title><script src="/parley-bridge.js"></script>\n</HEAD><body></body></html>',
    );
    expect(injectBridgeScript('<p>no head</p>')).toBeUndefined();
  });
});
