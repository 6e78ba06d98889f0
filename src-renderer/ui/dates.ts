/** Dates as people read them, in the UI's language. Pure: `now` is passed in. */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Formatters made once per locale and style: making an Intl.DateTimeFormat costs tens of
 * microseconds, and a chat list or a conversation formats a time per row on every render.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: string, style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

export function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** Whole calendar days from `time`'s day to `now`'s day (0 = today, 1 = yesterday). */
export function daysAgo(time: number, now: number): number {
  return Math.round((startOfDay(now) - startOfDay(time)) / DAY_MS);
}

export function formatClock(time: number, locale: string): string {
  return formatterFor(locale, 'clock', { hour: 'numeric', minute: '2-digit' }).format(time);
}

/** For a chat row: the time today, the weekday within a week, else the date. */
export function formatListTime(time: number, now: number, locale: string): string {
  const days = daysAgo(time, now);
  if (days <= 0) return formatClock(time, locale);
  if (days < 7) return formatterFor(locale, 'weekday', { weekday: 'short' }).format(time);
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return sameYear
    ? formatterFor(locale, 'day month', { day: 'numeric', month: 'short' }).format(time)
    : formatterFor(locale, 'short date', { dateStyle: 'short' }).format(time);
}

/** A day separator's words; 'today' and 'yesterday' are left to the caller's strings. */
export function dayLabel(time: number, now: number, locale: string): { relative: 'today' | 'yesterday' } | { text: string } {
  const days = daysAgo(time, now);
  if (days === 0) return { relative: 'today' };
  if (days === 1) return { relative: 'yesterday' };
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  const withWeekday = days < 7;
  return {
    text: formatterFor(locale, `day label ${withWeekday} ${sameYear}`, {
      weekday: withWeekday ? 'long' : undefined,
      day: 'numeric',
      month: 'long',
      year: sameYear ? undefined : 'numeric',
    }).format(time),
  };
}

/** The full date and time, for a title tooltip and screen readers. */
export function formatFullTime(time: number, locale: string): string {
  return formatterFor(locale, 'full', { dateStyle: 'full', timeStyle: 'short' }).format(time);
}
