/** Dates as people read them, in the UI's language. Pure: `now` is passed in. */

const DAY_MS = 24 * 60 * 60 * 1000;

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
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(time);
}

/** For a chat row: the time today, the weekday within a week, else the date. */
export function formatListTime(time: number, now: number, locale: string): string {
  const days = daysAgo(time, now);
  if (days <= 0) return formatClock(time, locale);
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(time);
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { day: 'numeric', month: 'short' } : { dateStyle: 'short' }).format(time);
}

/** A day separator's words; 'today' and 'yesterday' are left to the caller's strings. */
export function dayLabel(time: number, now: number, locale: string): { relative: 'today' | 'yesterday' } | { text: string } {
  const days = daysAgo(time, now);
  if (days === 0) return { relative: 'today' };
  if (days === 1) return { relative: 'yesterday' };
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return {
    text: new Intl.DateTimeFormat(locale, {
      weekday: days < 7 ? 'long' : undefined,
      day: 'numeric',
      month: 'long',
      year: sameYear ? undefined : 'numeric',
    }).format(time),
  };
}

/** The full date and time, for a title tooltip and screen readers. */
export function formatFullTime(time: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(time);
}
