import { errorBodySchema } from '../../src-shared/protocol/errors';
import type { RawAnswer } from './rawHttp';

/** What every answer must satisfy, whatever was asked: no 5xx, no stack, typed error bodies. */
export function judgeAnswer(method: string, status: number | undefined, contentType: string | undefined, body: Buffer): string | undefined {
  if (status === undefined) return undefined;
  const allowed = status === 101 || (status >= 200 && status < 300) || (status >= 400 && status < 500);
  if (!allowed) return `status ${status}: ${body.subarray(0, 300).toString('utf8')}`;
  const text = body.toString('utf8');
  if (/\n\s+at |node_modules|\.ts:\d+/.test(text)) return `a stack trace or source path in the answer: ${text.slice(0, 300)}`;
  if (status >= 400 && method !== 'HEAD' && /json/i.test(contentType ?? '')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return `a ${status} whose JSON body does not parse: ${text.slice(0, 200)}`;
    }
    const parsed = errorBodySchema.safeParse(value);
    if (!parsed.success) return `a ${status} whose body is no ErrorBody: ${text.slice(0, 200)}`;
    if (parsed.data.error.code === 'internal') return `internal error: ${text.slice(0, 200)}`;
  }
  return undefined;
}

/** Past this a body may be refused before it is read, and the refusal lost to the reset that follows. */
const EARLY_REFUSAL_BYTES = 16 * 1024;

/**
 * A raw exchange's verdict. Without an answer head, the client may be left waiting only when the
 * request was incomplete on purpose (`mayHang`); the server may hang up without a word only on
 * such a request, on CONNECT (node:http destroys the socket when nobody listens for 'connect'),
 * or on a big request (answered early and reset while the client was still writing).
 */
export function judgeRaw(method: string, answer: RawAnswer, mayHang: boolean, size: number): string | undefined {
  if (answer.ending === 'refused') return 'the connection was refused';
  if (answer.status === undefined && !mayHang) {
    if (answer.ending === 'timeout') return 'no answer before the deadline to a complete request';
    if (method !== 'CONNECT' && size <= EARLY_REFUSAL_BYTES) return `the server hung up (${answer.ending}) without an answer`;
  }
  return judgeAnswer(method, answer.status, answer.headers['content-type'], answer.body);
}

/** Counts by label, for the summary a run prints. */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  get(label: string): number {
    return this.counts.get(label) ?? 0;
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, count]) => `${label}=${count}`)
      .join(' ');
  }
}
