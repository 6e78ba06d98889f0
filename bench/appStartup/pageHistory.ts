import type { Page } from '@playwright/test';
import type { SeedRequest, SeedResult } from './seedRequest';

type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The page's globals bench/appStartup uses: the app's bridge, and the seeder it evaluates in. */
export type BenchWindow = {
  parley: {
    account: {
      getState(argument: object): Promise<BridgeResult<{ status: string; account?: { accountId: string } }>>;
      historyKey(argument: object): Promise<BridgeResult<{ storageKey: string }>>;
    };
    contacts: { findByUsername(argument: { username: string }): Promise<BridgeResult<{ accountId: string }>> };
  };
  parleyBenchHistory?: {
    seed(request: SeedRequest): Promise<SeedResult>;
    search(accountId: string, storageKey: string, query: string): Promise<{ hits: number; milliseconds: number }>;
    count(accountId: string, storageKey: string, conversationId: string): Promise<number>;
    close(): void;
  };
};

/** The signed-in account and its history key, asked of the app's own bridge. */
export type PageAccount = { accountId: string; storageKey: string };

/**
 * The seeder (page/historySeeder.ts, bundled) in the app's current page, and the signed-in
 * account's id and history key. A reopened app has a new page: call this again.
 */
export async function historyInPage(page: Page, seederScript: string): Promise<PageAccount> {
  if (!(await page.evaluate(() => 'parleyBenchHistory' in globalThis))) await page.evaluate(seederScript);
  return page.evaluate(async () => {
    // No named helpers in here: tsx wraps them in a `__name` call the page does not have.
    const window = globalThis as unknown as BenchWindow;
    const state = await window.parley.account.getState({});
    const key = await window.parley.account.historyKey({});
    if (!state.ok || !state.value.account) throw new Error(`not signed in: ${JSON.stringify(state)}`);
    if (!key.ok) throw new Error(`no history key: ${key.error.message}`);
    return { accountId: state.value.account.accountId, storageKey: key.value.storageKey };
  });
}

export async function peerAccountId(page: Page, username: string): Promise<string> {
  return page.evaluate(async (name) => {
    const found = await (globalThis as unknown as BenchWindow).parley.contacts.findByUsername({ username: name });
    if (!found.ok) throw new Error(`${name} not found: ${found.error.message}`);
    return found.value.accountId;
  }, username);
}

export async function seedInPage(page: Page, request: SeedRequest): Promise<SeedResult> {
  return page.evaluate(async (seedRequest) => {
    const history = (globalThis as unknown as BenchWindow).parleyBenchHistory!;
    try {
      return await history.seed(seedRequest);
    } finally {
      history.close();
    }
  }, request);
}

export async function searchInPage(page: Page, account: PageAccount, queries: string[]) {
  return page.evaluate(
    async ({ accountId, storageKey, words }) => {
      const history = (globalThis as unknown as BenchWindow).parleyBenchHistory!;
      const results: Record<string, { hits: number; milliseconds: number }> = {};
      for (const query of words) results[query] = await history.search(accountId, storageKey, query);
      history.close();
      return results;
    },
    { ...account, words: queries },
  );
}

export async function countInPage(page: Page, account: PageAccount, conversationId: string): Promise<number> {
  return page.evaluate(
    async ({ accountId, storageKey, conversation }) => {
      const history = (globalThis as unknown as BenchWindow).parleyBenchHistory!;
      const count = await history.count(accountId, storageKey, conversation);
      history.close();
      return count;
    },
    { ...account, conversation: conversationId },
  );
}
