import { describe, expect, it } from 'vitest';
import { createJsonLinesLogger } from './logger';

describe('createJsonLinesLogger', () => {
  it('writes one JSON object per line with time, level, event and fields', () => {
    const lines: string[] = [];
    const logger = createJsonLinesLogger({ write: (line) => lines.push(line), now: () => 0 });
    logger.info('send_stored', { accountId: 'a', envelopes: 2, repeated: false });
    expect(lines).toEqual([
      '{"time":"1970-01-01T00:00:00.000Z","level":"info","event":"send_stored","accountId":"a","envelopes":2,"repeated":false}\n',
    ]);
  });

  it('drops levels under the threshold', () => {
    const lines: string[] = [];
    const logger = createJsonLinesLogger({ write: (line) => lines.push(line), level: 'warn' });
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(['c', 'd']);
  });

  it('drops fields that could carry content, credentials or addresses, whoever passes them', () => {
    const lines: string[] = [];
    const logger = createJsonLinesLogger({ write: (line) => lines.push(line) });
    logger.warn('oops', {
      body: 'ciphertext',
      password: 'hunter22',
      secret: 's',
      ip: '10.0.0.1',
      remoteAddress: '10.0.0.2',
      username: 'alice',
      Authorization: 'Basic x',
      route: 'health',
    });
    const record = JSON.parse(lines[0] ?? '{}');
    expect(record).toMatchObject({ event: 'oops', route: 'health' });
    for (const value of ['ciphertext', 'hunter22', '10.0.0', 'alice', 'Basic']) expect(lines[0]).not.toContain(value);
  });
});
