import type { HistoryStore } from './historyStore';
import type { SettingValue } from './records';

/**
 * A small cache of settings the UI wants before main answers (theme, last open chat). A
 * setting's name is its key, so in clear: use the app's own constant names, never user data.
 * Values are sealed. Main stays the authority for settings it owns.
 */
export async function readSetting(store: HistoryStore, name: string): Promise<SettingValue | undefined> {
  return (await store.db.settings.get(name))?.value;
}

export async function writeSetting(store: HistoryStore, name: string, value: SettingValue): Promise<void> {
  await store.db.settings.put({ name, value });
}

export async function deleteSetting(store: HistoryStore, name: string): Promise<void> {
  await store.db.settings.delete(name);
}
