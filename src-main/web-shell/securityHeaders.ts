/**
 * Headers on every answer of the web shell. The CSP lets the page run only its own scripts
 * (the renderer's bundle and the bridge), talk only to its own origin and the bridge socket,
 * and never be framed; nothing is cached, since every answer sits behind the session.
 */
export function securityHeaders(origin: string): Record<string, string> {
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
    'Cache-Control': 'no-store',
  };
}
