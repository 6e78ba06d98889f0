import type { HistoryMigration } from './historyMigration';

/** A version 3 message as far as this upgrade is concerned: its time, its undated search hashes, and maybe version 1's unread flag. */
type VersionThreeMessage = { sentAt: number; searchTerms?: unknown; unread?: unknown; datedSearchTerms?: [string, number][] };

/**
 * Search index entries carry the message's time, so a search reads a term's newest messages
 * first and stops at the results it shows, instead of opening every match (FEATURES J5).
 *
 * `*searchTerms` (one entry per hash) becomes `*datedSearchTerms` (one [hash, sentAt] entry per
 * hash). Nothing new is in clear: the hashes were, and sentAt is in the conversation order index.
 * The upgrade only reshapes what each message already holds, so it needs no key; each message
 * is rewritten (and so re-sealed: its clear fields are its associated data) through the
 * encryption middleware, in Dexie's modify chunks of 200.
 *
 * Since every message is rewritten anyway, the stale `unread` flag that messages written by
 * version 1 still carry (see 003-drop-unread-flag.ts) goes too. The conversion is written out
 * here rather than imported, so later changes to how records are built cannot change what this
 * released upgrade does.
 */
export const datedSearchTermsMigration: HistoryMigration = {
  version: 4,
  stores: {
    messages:
      '[senderAccountId+messageId], [conversationId+sentAt+senderAccountId+messageId], *datedSearchTerms',
  },
  upgrade: async (transaction) => {
    await transaction
      .table('messages')
      .toCollection()
      .modify((message: VersionThreeMessage) => {
        const terms = Array.isArray(message.searchTerms) ? message.searchTerms : [];
        message.datedSearchTerms = terms
          .filter((term): term is string => typeof term === 'string')
          .map((term): [string, number] => [term, message.sentAt]);
        delete message.searchTerms;
        delete message.unread;
      });
  },
};
