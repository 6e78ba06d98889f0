import { describe, expect, it } from 'vitest';
import { ServerError } from '../api/serverApi';
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
});
