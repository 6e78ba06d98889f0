import type { HistoryStore } from './historyStore';
import { deleteSetting, readSetting, writeSetting } from './settingsCache';

/** The setting (sealed, like every value in the history) that holds the ranking. */
const SETTING = 'frequentContacts';
/** A message's weight halves every two weeks: who I write to now ranks above who I wrote to last year. */
const HALF_LIFE_MS = 14 * 24 * 60 * 60 * 1000;
/** Only this many people are ranked. */
const RANKED_MAX = 200;

type Ranking = Record<string, { score: number; at: number }>;

const decayed = (entry: { score: number; at: number }, now: number) => entry.score * 2 ** (-(now - entry.at) / HALF_LIFE_MS);

async function rankingOf(store: HistoryStore): Promise<Ranking> {
  const value = await readSetting(store, SETTING);
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) ? (value as Ranking) : {};
}

/**
 * B4: the people I write to most, computed on this device only: each message I send to someone
 * adds one to their score, and scores decay with a half-life of two weeks. Runs in the caller's
 * transaction over settings, or its own.
 */
export async function noteMessageTo(store: HistoryStore, accountId: string, at: number): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.settings, async () => {
    const ranking = await rankingOf(store);
    const held = ranking[accountId];
    ranking[accountId] = { score: (held ? decayed(held, at) : 0) + 1, at };
    const kept = Object.entries(ranking)
      .sort(([, a], [, b]) => decayed(b, at) - decayed(a, at))
      .slice(0, RANKED_MAX);
    await writeSetting(store, SETTING, Object.fromEntries(kept));
  });
}

/** The ranked account ids, most frequent first. */
export async function frequentContacts(store: HistoryStore, now: number): Promise<string[]> {
  const ranking = await rankingOf(store);
  return Object.entries(ranking)
    .sort(([, a], [, b]) => decayed(b, now) - decayed(a, now))
    .map(([accountId]) => accountId);
}

/** Switched off (B4): the ranking is deleted. */
export function forgetFrequentContacts(store: HistoryStore): Promise<void> {
  return deleteSetting(store, SETTING);
}
