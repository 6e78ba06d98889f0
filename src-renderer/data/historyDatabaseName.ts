/** One history database per account, so two accounts on one profile never mix. */
export function historyDatabaseName(accountId: string): string {
  return `parley-history-${accountId}`;
}
