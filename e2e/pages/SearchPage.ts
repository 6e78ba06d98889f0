import type { Page } from '@playwright/test';

/**
 * The Search box: `@name` finds a person by exact username and `+number` by phone number (B1);
 * any other words search the
 * local history (J5). Its results replace the chat list while something is typed.
 */
export class SearchPage {
  constructor(private readonly page: Page) {}

  readonly box = () => this.page.getByRole('textbox', { name: 'Search' });
  /** The person found for an @username. */
  readonly people = () => this.page.getByRole('list', { name: 'People' });
  readonly personResult = (username: string) => this.people().getByRole('button').filter({ hasText: `@${username}` });
  /** Messages found in the local history, newest first. */
  readonly messageResults = () => this.page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  readonly noResults = () => this.page.getByRole('status').filter({ hasText: 'No messages with' });

  async openPerson(username: string) {
    await this.box().fill(`@${username}`);
    await this.personResult(username).click();
  }

  /** B1: `number` in international form finds whoever lets themselves be found by it. */
  async findByPhone(number: string) {
    await this.box().fill(number);
  }

  async searchMessages(words: string) {
    await this.box().fill(words);
  }

  async clear() {
    await this.box().fill('');
  }
}
