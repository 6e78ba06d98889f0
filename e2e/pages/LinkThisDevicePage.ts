import type { Page } from '@playwright/test';

/** The welcome screen's Link to an existing account (C5): the new device's code, as text and QR. */
export class LinkThisDevicePage {
  constructor(private readonly page: Page) {}

  readonly startButton = () => this.page.getByRole('button', { name: 'Link to an existing account' });
  /** Asked only where the shell locks the profile with a password (the web shell). */
  readonly devicePassword = () => this.page.getByRole('textbox', { name: 'Password for this device' });
  readonly showCodeButton = () => this.page.getByRole('button', { name: 'Show link code' });
  readonly code = () => this.page.getByRole('textbox', { name: 'Link code' });
  readonly qr = () => this.page.getByRole('img', { name: 'Link code QR' });

  /** Starts linking and answers the link code it shows. */
  async requestCode(password: string): Promise<string> {
    await this.startButton().click();
    const asked = this.devicePassword();
    await Promise.race([asked.waitFor(), this.code().waitFor()]);
    if (await asked.isVisible()) {
      await asked.fill(password);
      await this.showCodeButton().click();
    }
    await this.code().waitFor();
    return this.code().inputValue();
  }
}
