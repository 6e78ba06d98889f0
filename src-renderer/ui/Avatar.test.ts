import { describe, expect, it } from 'vitest';
import { initialsOf } from './Avatar';

describe('initialsOf', () => {
  it('takes the first letter, digit or emoji of the first two words, never punctuation', () => {
    expect(initialsOf('alice_smith')).toBe('AS');
    expect(initialsOf('bob')).toBe('B');
    expect(initialsOf('Unknown (fae90698)')).toBe('UF');
    expect(initialsOf('🐱 cat')).toBe('🐱C');
    expect(initialsOf('(( ))')).toBe('?');
    expect(initialsOf('')).toBe('?');
  });
});
