import { describe, expect, it } from 'vitest';
import { dayLabel, formatClock, formatFullTime, formatListTime } from './dates';

const NOW = new Date(2026, 11, 1, 15, 30).getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('dates', () => {
  it('formats list times as today, within a week and before, like a fresh formatter would', () => {
    expect(formatListTime(NOW - HOUR, NOW, 'en-US')).toBe(new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(NOW - HOUR));
    expect(formatListTime(NOW - 3 * DAY, NOW, 'en-US')).toBe(new Intl.DateTimeFormat('en-US', { weekday: 'short' }).format(NOW - 3 * DAY));
    expect(formatListTime(NOW - 30 * DAY, NOW, 'en-US')).toBe(new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short' }).format(NOW - 30 * DAY));
    expect(formatListTime(NOW - 400 * DAY, NOW, 'en-US')).toBe(new Intl.DateTimeFormat('en-US', { dateStyle: 'short' }).format(NOW - 400 * DAY));
  });

  it('keeps one formatter per locale and style: a second locale does not get the first one\'s words', () => {
    const time = NOW - 3 * DAY;
    const english = formatListTime(time, NOW, 'en-US');
    const german = formatListTime(time, NOW, 'de-DE');
    expect(german).toBe(new Intl.DateTimeFormat('de-DE', { weekday: 'short' }).format(time));
    expect(german).not.toBe(english);
    expect(formatListTime(time, NOW, 'en-US')).toBe(english);
    expect(formatClock(NOW, 'de-DE')).toBe(new Intl.DateTimeFormat('de-DE', { hour: 'numeric', minute: '2-digit' }).format(NOW));
  });

  it('labels days relatively, with the weekday within a week and the year when it differs', () => {
    expect(dayLabel(NOW, NOW, 'en-US')).toEqual({ relative: 'today' });
    expect(dayLabel(NOW - DAY, NOW, 'en-US')).toEqual({ relative: 'yesterday' });
    const weekAgo = NOW - 3 * DAY;
    expect(dayLabel(weekAgo, NOW, 'en-US')).toEqual({ text: new Intl.DateTimeFormat('en-US', { weekday: 'long', day: 'numeric', month: 'long' }).format(weekAgo) });
    const lastYear = NOW - 400 * DAY;
    expect(dayLabel(lastYear, NOW, 'en-US')).toEqual({ text: new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'long', year: 'numeric' }).format(lastYear) });
    expect(formatFullTime(NOW, 'en-US')).toBe(new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'short' }).format(NOW));
  });
});
