/**
 * The policy of every page the app serves, sent as a response header by the app protocol. It
 * matches the renderer's own <meta> policy (src-renderer/index.html) minus the web shell's local
 * socket: in Electron the page has no network of its own at all; everything goes through the
 * preload's IPC. Both policies apply, so this one is the floor even if the meta tag changes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // data: for avatars (A4), which main made from the picked file and the renderer shows as data URLs.
  "img-src 'self' data:",
  "font-src 'self'",
  "media-src 'self'",
  "connect-src 'self'",
  "worker-src 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every answer of the app protocol. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // The files are the app's own build; a stale copy after an update would mix versions.
  'Cache-Control': 'no-store',
});
