import { describe, expect, it } from 'vitest';
import { parseStartArguments, StartUsageError } from './startArguments';

describe('npm start arguments', () => {
  it('opens the default profile with a window unless told otherwise', () => {
    expect(parseStartArguments([])).toEqual({ help: false, profile: 'default', open: true, insecure: false });
    expect(parseStartArguments(['--profile', 'bob', '--no-open'])).toEqual({ help: false, profile: 'bob', open: false, insecure: false });
    expect(parseStartArguments(['--insecure'])).toEqual({ help: false, profile: 'default', open: true, insecure: true });
    expect(parseStartArguments(['--help'])).toEqual({ help: true });
  });

  it.each([['../alice'], ['a/b'], ['.hidden'], [''], ['x'.repeat(65)]])('refuses the profile name %j', (name) => {
    expect(() => parseStartArguments(['--profile', name])).toThrow(StartUsageError);
  });

  it('refuses unknown flags and stray words', () => {
    expect(() => parseStartArguments(['--port', '1'])).toThrow(StartUsageError);
    expect(() => parseStartArguments(['bob'])).toThrow(StartUsageError);
  });
});
