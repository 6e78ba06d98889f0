import { describe, expect, it } from 'vitest';
import { SessionGate } from './sessionGate';

describe('SessionGate', () => {
  it('redeems its token once, for a session only its cookie opens', () => {
    const gate = new SessionGate(4321);
    const session = gate.redeem(gate.token);
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(gate.redeem(gate.token)).toBeUndefined();
    expect(gate.cookieFor(session!)).toBe(`parley-session-4321=${session}; HttpOnly; SameSite=Strict; Path=/`);
    expect(gate.admits(`theme=dark; parley-session-4321=${session}`)).toBe(true);
    expect(gate.admits(`parley-session-4322=${session}`)).toBe(false);
    expect(gate.admits(`parley-session-4321=${session}x`)).toBe(false);
    expect(gate.admits(undefined)).toBe(false);
    expect(gate.admits(`parley-session-4321=${'a'.repeat(9_000)}`)).toBe(false);
  });

  it('refuses a wrong token and keeps the right one usable', () => {
    const gate = new SessionGate(1);
    expect(gate.redeem('')).toBeUndefined();
    expect(gate.redeem(`${gate.token}x`)).toBeUndefined();
    expect(gate.redeem(gate.token)).toBeDefined();
  });
});
