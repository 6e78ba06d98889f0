import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { frequentContacts } from '../../data/frequentContacts';
import type { ContactRecord } from '../../data/records';
import { useAppStore } from '../../app/appContext';
import { Avatar } from '../../ui/Avatar';
import { nameOf } from '../chats/chatNames';
import { useSession } from '../session/sessionContext';

const SHOWN = 5;

/** Whether `typed` (an @username's start, or the start of a word of their name) names this person. */
function matches(contact: ContactRecord, savedName: string | undefined, typed: string): boolean {
  const wanted = typed.replace(/^@/, '').toLocaleLowerCase();
  if (wanted === '') return typed.startsWith('@');
  if (contact.username.startsWith(wanted)) return true;
  if (typed.startsWith('@')) return false;
  const names = [savedName, contact.displayName].filter((name): name is string => Boolean(name));
  return names.some((name) => name.toLocaleLowerCase().split(/\s+/).some((word) => word.startsWith(wanted)));
}

/**
 * B4: the people I write to most whose name or @username starts with what is typed, first in
 * Search. The ranking is this device's own (see data/frequentContacts.ts); shown only while
 * Suggest frequent contacts is on.
 */
export function FrequentSuggestions({ typed }: { typed: string }) {
  const { t } = useTranslation();
  const { store } = useSession();
  const on = useAppStore((state) => state.preferences?.suggestFrequent ?? false);
  const savedNames = useAppStore((state) => state.preferences?.contactNames);
  const selectChat = useAppStore((state) => state.selectChat);
  const setQuery = useAppStore((state) => state.setSearchQuery);
  const ranked = useLiveQuery(async () => {
    if (!on) return [];
    const ids = await frequentContacts(store, store.clock.now());
    const contacts = await store.db.contacts.bulkGet(ids);
    return contacts.filter((contact): contact is ContactRecord => contact !== undefined);
  }, [store, on]);
  const shown = (ranked ?? [])
    .filter((contact) => matches(contact, savedNames && Object.hasOwn(savedNames, contact.accountId) ? savedNames[contact.accountId] : undefined, typed))
    .slice(0, SHOWN);
  if (!on || shown.length === 0) return null;
  return (
    <>
      <h2 className="search-results__heading">{t('search.frequentHeading')}</h2>
      <ul className="search-results__list" aria-label={t('search.frequentHeading')}>
        {shown.map((contact) => {
          const saved = savedNames && Object.hasOwn(savedNames, contact.accountId) ? savedNames[contact.accountId] : undefined;
          const name = nameOf(contact, saved) ?? contact.username;
          return (
            <li key={contact.accountId}>
              <button
                type="button"
                className="result-row"
                onClick={() => {
                  selectChat(contact.accountId);
                  setQuery('');
                }}
              >
                <Avatar accountId={contact.accountId} name={name} image={contact.avatar} />
                <span className="result-row__body">
                  <span className="result-row__title" dir="auto">
                    {name}
                  </span>
                  <span className="result-row__detail">@{contact.username}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
