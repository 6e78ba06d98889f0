/**
 * Headers on every answer of the web shell. The CSP lets the page run only its own scripts
 * (the renderer's bundle and the bridge), talk only to its own origin and the bridge socket,
 * and never be framed; nothing is cached, since every answer sits behind the session — except
 * the renderer's content-hashed assets (IMMUTABLE_ASSET), whose bytes are public build output and
 * can never change under their name: cached, Chromium keeps their compiled code too, and a start
 * neither fetches nor recompiles half a megabyte of JavaScript.
 */
export function securityHeaders(origin: string, cache: 'none' | 'immutable' = 'none'): Record<string, string> {
  const socketOrigin = origin.replace(/^http:/, 'ws:');
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      `connect-src 'self' ${socketOrigin}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': cache === 'immutable' ? 'private, max-age=31536000, immutable' : 'no-store',
  };
}

/** A file vite named by its content (`assets/NAME-HASH.js`, `.css`): safe to cache for good. */
export const IMMUTABLE_ASSET = /^\/assets\/[\w.-]+-[\w-]{8}\.(?:js|css)$/;
