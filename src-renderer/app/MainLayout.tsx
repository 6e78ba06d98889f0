import { memo, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatList } from '../features/chats/ChatList';
import { useChatList } from '../features/chats/useChatList';
import { useUnreadTitle } from '../features/chats/useUnreadTitle';
import { Conversation } from '../features/conversation/Conversation';
import { SearchBox } from '../features/search/SearchBox';
import { SearchResults } from '../features/search/SearchResults';
import { useSession } from '../features/session/sessionContext';
import { SessionTheme } from '../features/settings/SessionTheme';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { Avatar } from '../ui/Avatar';
import { useOwnAvatar } from '../features/settings/useOwnAvatar';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { SettingsIcon } from '../ui/icons';
import { Logo } from '../ui/Logo';
import { useAppStore } from './appContext';
import { describeChord, SHORTCUTS } from './shortcuts';
import { useShortcuts } from './useShortcuts';

/** The signed-in window: chats on the left, the open conversation on the right. */
export function MainLayout() {
  const { t } = useTranslation();
  const chats = useChatList();
  const selected = useAppStore((state) => state.selectedChatId);
  const results = useRef<HTMLDivElement>(null);
  useShortcuts(chats);
  useUnreadTitle();

  return (
    <div className="main-layout">
      <SessionTheme />
      <nav className="sidebar" aria-label={t('chats.paneName')}>
        <SidebarHeader />
        <SearchBox onActivateFirst={() => results.current?.querySelector('button')?.click()} />
        <ConnectionNotice />
        <ChatsOrResults chats={chats} results={results} />
      </nav>
      <ConversationPane selected={selected} />
      <SettingsDialog />
    </div>
  );
}

/** The chat list, or search results while something is typed: only this re-renders as the query changes. */
function ChatsOrResults({ chats, results }: { chats: ReturnType<typeof useChatList>; results: RefObject<HTMLDivElement | null> }) {
  const query = useAppStore((state) => state.searchQuery);
  return query.trim() !== '' ? <SearchResults ref={results} query={query} /> : <ChatList chats={chats} />;
}

/**
 * The open conversation. Memoised: the layout re-renders whenever the chat list changes (every
 * batch of a catch-up), and the conversation reads what it shows itself.
 */
const ConversationPane = memo(function ConversationPane({ selected }: { selected: string | null }) {
  return (
    <main className="conversation-pane">
      <ErrorBoundary key={selected ?? 'none'}>
        {selected !== null ? <Conversation key={selected} conversationId={selected} /> : <NoChatSelected />}
      </ErrorBoundary>
    </main>
  );
});

function SidebarHeader() {
  const { t } = useTranslation();
  const { account } = useSession();
  const openSettings = useAppStore((state) => state.openSettings);
  const avatar = useOwnAvatar();
  return (
    <header className="sidebar-header">
      <Avatar accountId={account.accountId} name={account.username} size="small" image={avatar} />
      <h1 className="sidebar-header__title">{t('chats.title')}</h1>
      <button type="button" className="icon-button" aria-label={t('settings.open')} title={t('settings.openHint')} onClick={() => openSettings()}>
        <SettingsIcon />
      </button>
    </header>
  );
}

function ConnectionNotice() {
  const { t } = useTranslation();
  const connection = useAppStore((state) => state.connection);
  const problem = useAppStore((state) => state.problemKey);
  if (problem !== null) {
    return (
      <p className="notice notice--problem" role="alert">
        {t(problem)}
      </p>
    );
  }
  if (connection === null || connection === 'open') return null;
  return (
    <p className="notice" role="status">
      {connection === 'connecting' ? t('connection.connecting') : t('connection.closed')}
    </p>
  );
}

function NoChatSelected() {
  const { t } = useTranslation();
  const search = SHORTCUTS.find((shortcut) => shortcut.action === 'focusSearch')?.chords[0];
  return (
    <div className="no-chat">
      <Logo size={72} />
      <h2 className="no-chat__title">{t('conversation.noneTitle')}</h2>
      <p className="no-chat__hint">{t('conversation.noneHint', { shortcut: search ? describeChord(search) : '' })}</p>
    </div>
  );
}
