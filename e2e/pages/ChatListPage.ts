import type { Page } from '@playwright/test';

/** The list of chats (role list named "Chats"), the most recent first. */
export class ChatListPage {
  constructor(private readonly page: Page) {}

  readonly list = () => this.page.getByRole('list', { name: 'Chats' });
  readonly chats = () => this.list().getByRole('listitem');
  /** The chat with `name` (its row shows the name, the last message and the time); not a secret chat with them. */
  readonly chat = (name: string) => this.chats().filter({ hasText: name }).filter({ hasNotText: 'Secret chat' });
  /** A secret chat with `name` (C4): its row says "Secret chat". */
  readonly secretChat = (name: string) => this.chats().filter({ hasText: name }).filter({ hasText: 'Secret chat' });
  /** The button that opens the chat with `name`; it is marked aria-current while that chat is open. */
  /** A4: the chat's avatar picture (absent while only initials show). */
  readonly avatarImage = (name: string) => this.chat(name).locator('img.avatar__image');
  readonly chatButton = (name: string) => this.chat(name).getByRole('button');

  /** While queued messages arrive after a connect: a status named "Receiving messages" saying "Receiving N of M". */
  readonly catchUpStatus = () => this.page.getByRole('status', { name: 'Receiving messages' });
  /** Its progress bar ("Messages received"), valued received of total. */
  /** A linked device restoring the account's archive (C5). */
  readonly restoreStatus = () => this.page.getByRole('status', { name: 'Restoring history' });
  readonly catchUpBar = () => this.catchUpStatus().getByRole('progressbar', { name: 'Messages received' });

  async open(name: string) {
    await this.chatButton(name).click();
  }
}
