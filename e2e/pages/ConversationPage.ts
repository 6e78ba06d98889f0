import { expect, type Locator, type Page } from '@playwright/test';

/** The names the ticks carry (src-renderer/i18n/en.ts `status`). */
export type Tick = 'Sending' | 'Sent' | 'Delivered' | 'Read' | 'Not sent';

/** The open conversation: the messages log (role log named "Messages") and the composer. */
export class ConversationPage {
  constructor(private readonly page: Page) {}

  /** The conversation pane, a region named "Conversation with <name>". */
  readonly region = () => this.page.getByRole('region', { name: /^Conversation with / });
  readonly log = () => this.page.getByRole('log', { name: 'Messages' });
  readonly composer = () => this.page.getByRole('textbox', { name: 'Message' });
  /** C4, in the chat header: opens a secret chat with one device of the contact. */
  readonly startSecretChatButton = () => this.region().getByRole('button', { name: 'Start secret chat' });
  readonly header = () => this.region().locator('header');
  /** A5, in the chat header: Rename contact opens a form with the Saved name field, Save and Cancel. */
  readonly renameContactButton = () => this.header().getByRole('button', { name: 'Rename contact' });
  readonly savedNameField = () => this.header().getByRole('textbox', { name: 'Saved name' });
  readonly saveNameButton = () => this.header().getByRole('button', { name: 'Save', exact: true });
  readonly title = () => this.header().getByRole('heading');
  /** Saves `name` for the open chat's contact ('' brings their own name back). */
  async saveContactName(name: string) {
    await this.renameContactButton().click();
    await this.savedNameField().fill(name);
    await this.saveNameButton().click();
    await expect(this.savedNameField()).toHaveCount(0);
  }
  /** B3, in the chat header: Block, and Unblock once blocked. */
  /** B2: Add to contacts / Remove from contacts. */
  readonly addToContactsButton = () => this.header().getByRole('button', { name: 'Add to contacts', exact: true });
  readonly removeFromContactsButton = () => this.header().getByRole('button', { name: 'Remove from contacts', exact: true });
  readonly blockButton = () => this.header().getByRole('button', { name: 'Block', exact: true });
  readonly unblockButton = () => this.header().getByRole('button', { name: 'Unblock', exact: true });
  readonly sendButton = () => this.page.getByRole('button', { name: 'Send', exact: true });
  /**
   * The text of every message row the log shows, in order (it is virtualised: only rows near the
   * visible part exist). Each message's text is one paragraph.
   */
  readonly messages = () => this.log().getByRole('paragraph');
  /** The paragraph of the message whose text contains `text`. */
  readonly message = (text: string) => this.messages().filter({ hasText: text });
  /** The paragraph whose whole text is `text`. */
  readonly messageText = (text: string) => this.messages().getByText(text, { exact: true });
  /** "typing…" under the other person's name. */
  readonly typingIndicator = () => this.region().getByText('typing…');
  /** The note above the composer while the other party's safety number is new (they started fresh). */
  readonly identityChangedNotice = () => this.region().getByRole('note', { name: 'Safety number changed' });

  /** Types `text` into the composer and presses Send. */
  async send(text: string) {
    await this.composer().fill(text);
    await this.sendButton().click();
  }

  /** The status tick (an image named "Sent", "Delivered", "Read"…) beside a message's text. */
  tick(message: Locator, tick: Tick) {
    return message.locator('xpath=..').getByRole('img', { name: tick, exact: true });
  }

  /**
   * The texts of every message in the conversation, oldest first. The log is virtualised and
   * pages older (and, once scrolled away from them, newer) messages in as it nears an end, saying
   * aria-busy while a page loads: so scroll to the top until, settled, nothing older comes twice
   * in a row; then down a part of a screen at a time, adding each step's rows not seen before (a
   * row is known by its message id) after those already read, until, settled, it moves no more.
   * Long histories on a loaded machine take their time here, which is why it waits on the log's
   * own aria-busy and never on a clock.
   */
  async readAllMessageTexts(): Promise<string[]> {
    const log = this.log();
    const visibleRows = () =>
      log.evaluate((element) =>
        [...element.querySelectorAll('[data-message-id]')].map((row) => ({
          id: row.getAttribute('data-message-id')!,
          text: row.querySelector('p')?.textContent ?? '',
        })),
      );
    const settle = async () => {
      await nextFrames(log);
      await expect(log).not.toHaveAttribute('aria-busy', /.*/, { timeout: 60_000 });
      await nextFrames(log);
    };
    let firstId: string | undefined;
    for (let unchanged = 0; unchanged < 2; ) {
      await log.evaluate((element) => element.scrollTo({ top: 0 }));
      await settle();
      const first = (await visibleRows())[0]?.id;
      unchanged = first === firstId ? unchanged + 1 : 0;
      firstId = first;
    }
    const texts = new Map<string, string>();
    for (let stuck = 0; stuck < 2; ) {
      for (const row of await visibleRows()) if (!texts.has(row.id)) texts.set(row.id, row.text);
      const moved = await log.evaluate((element) => {
        const before = element.scrollTop;
        element.scrollBy({ top: element.clientHeight * 0.7 });
        return element.scrollTop !== before;
      });
      stuck = moved ? 0 : stuck + 1;
      await settle();
    }
    return [...texts.values()];
  }
}

/** Waits for two animation frames: the virtualiser has rendered the rows for a new scroll position by then. */
async function nextFrames(element: Locator) {
  await element.evaluate((node) => {
    const view = node.ownerDocument.defaultView!;
    return new Promise((resolve) => view.requestAnimationFrame(() => view.requestAnimationFrame(resolve)));
  });
}
