import { isIPv4 } from 'node:net';

/** The flag every shell takes to allow unencrypted transport to another machine. */
export const INSECURE_FLAG = '--insecure';

/** How a client may reach its server. */
export type TransportOptions = {
  /**
   * Allow http:// and ws:// to hosts other than this machine. Off unless the person asked for it
   * (`--insecure`): without TLS anyone on the network can read the account password at register
   * and every request's credentials, and can change what the server answers.
   */
  allowInsecureTransport?: boolean;
};

/** An http:// or ws:// URL to another machine without `--insecure`, or a URL no client speaks. */
export class InsecureTransportError extends Error {
  constructor(readonly url: string, reason: string) {
    super(reason);
    this.name = 'InsecureTransportError';
  }
}

/**
 * Whether `hostname` (as `URL.hostname` gives it: lower-case, IPv4 in dotted decimal, IPv6 in
 * brackets and compressed) is this machine: 127.0.0.0/8, ::1 or `localhost`.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  if (hostname === '[::1]') return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}

/**
 * Throws InsecureTransportError unless `url` is https:// or wss://, or http:// or ws:// to this
 * machine, or `allowInsecureTransport` is set (then any http(s)/ws(s) URL). Hosts are compared as
 * the WHATWG URL parser normalises them, which is also how fetch and ws connect to them
 * (`http://0x7f.1/` is 127.0.0.1; `http://127.0.0.1.example/` is not).
 */
export function checkServerTransport(url: string | URL, options: TransportOptions = {}): void {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const shown = `${parsed.protocol}//${parsed.host}`;
  if (parsed.protocol === 'https:' || parsed.protocol === 'wss:') return;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'ws:') {
    throw new InsecureTransportError(shown, `the server URL must be https:// (or http:// to this machine), not ${parsed.protocol}//`);
  }
  if (options.allowInsecureTransport || isLoopbackHost(parsed.hostname)) return;
  throw new InsecureTransportError(
    shown,
    `refusing unencrypted ${shown}: a server on another machine is reached over https:// (wss://). ` +
      `Start with ${INSECURE_FLAG} to use it anyway, if you accept that anyone on the network can read and change the traffic.`,
  );
}
