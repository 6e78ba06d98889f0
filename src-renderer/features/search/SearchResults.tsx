import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { usernameSchema } from '../../../src-shared/domain/ids';
import { e164Of } from '../../../src-shared/domain/phoneNumber';
import type { Result } from '../../../src-shared/ipc/result';
import { listContacts, searchMessages, type HistoryMessage } from '../../data';
import { useAppStore, useBridge } from '../../app/appContext';
import { Avatar } from '../../ui/Avatar';
import { formatListTime } from '../../ui/dates';
import { usernameProblem } from '../account/credentialRules';
import { useErrorText } from '../account/useErrorText';
import { nameOf, shortAccountId } from '../chats/chatNames';
import { savedNameIn } from '../chats/useSavedName';
import { useSession } from '../session/sessionContext';
import { useNow } from '../../ui/useNow';
import { FrequentSuggestions } from './FrequentSuggestions';
import { snippetOf } from './snippet';
import { startChat } from './startChat';
import { useDebounced } from './useDebounced';

const LOOKUP_DELAY_MS = 250;
const SEARCH_DELAY_MS = 120;
const MESSAGE_HITS = 50;
/**
 * Hits asked for first: about a screenful. A rare word's hits lie one to a page of stored
 * messages, so the first screen opens a quarter of the pages all fifty would; the rest follow.
 */
const FIRST_HITS = 12;

/** What the left pane shows instead of the chat list while something is typed in Search. */
export function SearchResults({ query, ref }: { query: string; ref?: Ref<HTMLDivElement> }) {
  const trimmed = query.trim();
  return (
    <div ref={ref} className="search-results">
      {trimmed.startsWith('+') ? null : <FrequentSuggestions typed={trimmed} />}
      {trimmed.startsWith('@') ? (
        <PersonLookup typed={trimmed} by="username" />
      ) : trimmed.startsWith('+') && /^\+[\d\s().-]*$/.test(trimmed) ? (
        <PersonLookup typed={trimmed} by="phone" />
      ) : (
        <MessageHits query={trimmed} />
      )}
    </div>
  );
}

type Lookup = { wanted: string; answer: Result<{ accountId: string; username: string }> };

/** B1: someone by exact @username, or by phone number (international form) where they allow it. */
function PersonLookup({ typed, by }: { typed: string; by: 'username' | 'phone' }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const errorText = useErrorText();
  const { writer } = useSession();
  const selectChat = useAppStore((state) => state.selectChat);
  const setQuery = useAppStore((state) => state.setSearchQuery);
  const wanted = by === 'username' ? (usernameSchema.safeParse(typed).data ?? null) : e164Of(typed);
  const asked = useDebounced(wanted, LOOKUP_DELAY_MS);
  const [lookup, setLookup] = useState<Lookup | null>(null);

  useEffect(() => {
    if (asked === null) return;
    let current = true;
    const answering = by === 'username' ? bridge.contacts.findByUsername({ username: asked }) : bridge.contacts.findByPhone({ number: asked });
    void answering.then((answer) => {
      if (current) setLookup({ wanted: asked, answer });
    });
    return () => {
      current = false;
    };
  }, [asked, by, bridge]);

  if (wanted === null) {
    if (by === 'phone') return <p className="search-results__note">{t('search.phoneHint')}</p>;
    const problem = typed.length > 1 ? usernameProblem(typed) : null;
    return <p className="search-results__note">{problem ? t(problem.key, problem.values) : t('search.peopleHint')}</p>;
  }
  if (lookup === null || lookup.wanted !== wanted) {
    return (
      <p className="search-results__note" role="status">
        {by === 'username' ? t('search.lookingFor', { username: wanted }) : t('search.lookingForNumber', { number: wanted })}
      </p>
    );
  }
  if (!lookup.answer.ok) {
    const nobody = by === 'username' ? t('search.nobody', { username: wanted }) : t('search.nobodyByNumber', { number: wanted });
    return (
      <p className="search-results__note" role="status">
        {lookup.answer.error.code === 'not_found' ? nobody : errorText(lookup.answer.error)}
      </p>
    );
  }
  const person = lookup.answer.value;
  const open = async () => {
    await writer.run((store) => startChat(store, person));
    selectChat(person.accountId);
    setQuery('');
  };
  return (
    <>
      <h2 className="search-results__heading">{t('search.peopleHeading')}</h2>
      <ul className="search-results__list" aria-label={t('search.peopleHeading')}>
        <li>
          <button type="button" className="result-row" onClick={() => void open()}>
            <Avatar accountId={person.accountId} name={person.username} />
            <span className="result-row__body">
              <span className="result-row__title">{person.username}</span>
              <span className="result-row__detail">@{person.username}</span>
            </span>
            <span className="result-row__action">{t('search.startChat')}</span>
          </button>
        </li>
      </ul>
    </>
  );
}

function MessageHits({ query }: { query: string }) {
  const { t, i18n } = useTranslation();
  const { store } = useSession();
  const openChatAt = useAppStore((state) => state.openChatAt);
  const now = useNow();
  const settled = useDebounced(query, SEARCH_DELAY_MS);
  // The first screenful of hits renders as soon as it is known; then the search asks for all.
  const [wholeFor, setWholeFor] = useState<string | null>(null);
  const limit = wholeFor === settled ? MESSAGE_HITS : FIRST_HITS;
  const hits = useLiveQuery(
    async () => ({ query: settled, limit, messages: settled === '' ? [] : await searchMessages(store, { query: settled, limit }) }),
    [store, settled, limit],
  );
  // Set while rendering (React's way to adjust state to what was just read), not in an effect.
  if (hits && hits.query === settled && hits.limit === FIRST_HITS && hits.messages.length === FIRST_HITS && wholeFor !== settled) {
    setWholeFor(settled);
  }
  const contacts = useLiveQuery(() => listContacts(store), [store]);
  const savedNames = useAppStore((state) => state.preferences?.contactNames);
  const names = new Map((contacts ?? []).map((contact) => [contact.accountId, nameOf(contact, savedNameIn(savedNames, contact.accountId))]));
  const nameFor = (message: HistoryMessage) =>
    names.get(message.conversationId) ?? t('chats.unknownPerson', { id: shortAccountId(message.conversationId) });

  if (hits === undefined || hits.query !== query) {
    return (
      <p className="search-results__note" role="status">
        {t('search.searching')}
      </p>
    );
  }
  if (hits.messages.length === 0) {
    return (
      <p className="search-results__note" role="status">
        {t('search.noMessages', { query })}
      </p>
    );
  }
  return (
    <>
      <h2 className="search-results__heading" role="status">
        {t('search.messagesHeading', { count: hits.messages.length })}
      </h2>
      <ul className="search-results__list" aria-label={t('search.messagesListName')}>
        {hits.messages.map((message) => (
          <li key={`${message.senderAccountId}:${message.messageId}`}>
            <button type="button" className="result-row" onClick={() =>
                openChatAt(message.conversationId, { sentAt: message.sentAt, senderAccountId: message.senderAccountId, messageId: message.messageId })
              }>
              <Avatar accountId={message.conversationId} name={nameFor(message)} />
              <span className="result-row__body">
                <span className="result-row__top">
                  <span className="result-row__title" dir="auto">
                    {nameFor(message)}
                  </span>
                  <time className="result-row__time" dateTime={new Date(message.sentAt).toISOString()}>
                    {formatListTime(message.sentAt, now, i18n.language)}
                  </time>
                </span>
                <span className="result-row__snippet" dir="auto">
                  {message.direction === 'out' ? <span className="result-row__you">{t('chats.youPrefix')}</span> : null}
                  {snippetOf(message.text, query).map((part, index) =>
                    part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
                  )}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
