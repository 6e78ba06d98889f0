import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may use the web shell: whoever holds the one-time token printed at start, and afterwards
 * the browser that redeemed it (its session cookie). Another local user, another site open in
 * the browser, or a page reached by DNS rebinding has neither. Only digests are kept, so a
 * lookup takes no time that depends on how much of a guess was right.
 */
export class SessionGate {
  /** The one-time token; it stops working once redeemed. */
  readonly token: string;
  /** Per port, because browsers share cookies between ports of one host. */
  readonly cookieName: string;
  private tokenDigest: Buffer | undefined;
  private readonly sessions = new Set<string>();

  constructor(
    port: number,
    private readonly random: (bytes: number) => Buffer = randomBytes,
  ) {
    this.token = random(32).toString('base64url');
    this.tokenDigest = digest(this.token);
    this.cookieName = `parley-session-${port}`;
  }

  /** Trades the token for a new session id, once. Undefined when the token is wrong or was used. */
  redeem(token: string): string | undefined {
    if (!this.tokenDigest || !timingSafeEqual(digest(token), this.tokenDigest)) return undefined;
    this.tokenDigest = undefined;
    const session = this.random(32).toString('base64url');
    this.sessions.add(digest(session).toString('hex'));
    return session;
  }

  /** The cookie that carries `session`: not readable by scripts, never sent from another site. */
  cookieFor(session: string): string {
    return `${this.cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Whether the request's Cookie header carries a session this gate handed out. */
  admits(cookieHeader: string | undefined): boolean {
    if (!cookieHeader || cookieHeader.length > 8_192) return false;
    for (const pair of cookieHeader.split(';')) {
      const equals = pair.indexOf('=');
      if (equals < 0 || pair.slice(0, equals).trim() !== this.cookieName) continue;
      if (this.sessions.has(digest(pair.slice(equals + 1).trim()).toString('hex'))) return true;
    }
    return false;
  }
}
