import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/appContext';
import { focusTarget, FOCUS_TARGETS } from '../../app/focusTargets';
import { CloseIcon, SearchIcon } from '../../ui/icons';

/**
 * One box for both searches: "@name" finds a person, anything else searches the local history.
 * Enter opens the first result; Escape clears and goes back to the composer.
 */
export function SearchBox({ onActivateFirst }: { onActivateFirst(): void }) {
  const { t } = useTranslation();
  const query = useAppStore((state) => state.searchQuery);
  const setQuery = useAppStore((state) => state.setSearchQuery);
  const selected = useAppStore((state) => state.selectedChatId);
  return (
    <div className="search-box" role="search">
      <SearchIcon className="search-box__icon" />
      <input
        id={FOCUS_TARGETS.search}
        className="search-box__input"
        type="text"
        aria-label={t('search.inputName')}
        placeholder={t('search.placeholder')}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            setQuery('');
            if (selected !== null) focusTarget('composer');
          } else if (event.key === 'Enter') {
            event.preventDefault();
            onActivateFirst();
          }
        }}
      />
      {query !== '' ? (
        <button
          type="button"
          className="icon-button search-box__clear"
          aria-label={t('search.clear')}
          onClick={() => {
            setQuery('');
            focusTarget('search');
          }}
        >
          <CloseIcon size={16} />
        </button>
      ) : null}
    </div>
  );
}
