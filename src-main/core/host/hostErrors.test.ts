import { describe, expect, it } from 'vitest';
import { ServerError } from '../api/serverApi';
import { InsecureTransportError } from '../api/serverTransport';
import { resultOf } from './hostErrors';

const refused = (retryAfterSeconds?: number) => () => {
  throw new ServerError(429, { code: 'rate_limited', message: 'slow down', ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
};

describe('resultOf', () => {
  it('says when a rate-limited call may be tried again', async () => {
    expect(await resultOf(refused(30))).toEqual({ ok: false, error: { code: 'unreachable', message: 'Too many attempts from here. Try again in 30 seconds.' } });
    expect(await resultOf(refused(600))).toEqual({ ok: false, error: { code: 'unreachable', message: 'Too many attempts from here. Try again in 10 minutes.' } });
    expect(await resultOf(refused())).toEqual({ ok: false, error: { code: 'unreachable', message: 'Too many attempts from here. Try again in a moment.' } });
  });

  it('names --insecure when the server is plain http:// on another machine', async () => {
    const answer = await resultOf(() => {
      throw new InsecureTransportError('http://example.org', 'http://example.org is not encrypted; start with --insecure to allow it');
    });
    expect(answer).toEqual({ ok: false, error: { code: 'unreachable', message: expect.stringContaining('--insecure') } });
  });
});
