import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src-shared/domain/limits';
import { readMessageLines } from './sendLinesCommand';

describe('send --stdin reads its messages', () => {
  it('one per line, LF or CRLF, in order, empty lines skipped; a line may hold any text but a newline', async () => {
    const input = Readable.from([Buffer.from('first\r\nsecond\n\n  spaced  \n'), Buffer.from('emoji 👩‍👩‍👧 שלום\nlast')]);
    expect(await readMessageLines(input)).toEqual(['first', 'second', '  spaced  ', 'emoji 👩‍👩‍👧 שלום', 'last']);
  });

  it('refuses the whole input, naming the line, when one is longer than a message may be', async () => {
    const input = Readable.from([`fine\n${'x'.repeat(LIMITS.textMaxLength + 1)}\n`]);
    await expect(readMessageLines(input)).rejects.toThrow(/line 2 is longer than a message may be/);
  });

  it('reads nothing from empty input', async () => {
    expect(await readMessageLines(Readable.from([]))).toEqual([]);
  });
});
