import type { Page } from '@playwright/test';

export type ThemeChoice = 'System' | 'Light' | 'Dark';

/** Settings (a dialog): the account, the history archive, the theme (light, dark, or the OS's), the shortcuts. */
export class SettingsPage {
  constructor(private readonly page: Page) {}

  readonly openButton = () => this.page.getByRole('button', { name: 'Settings' });
  readonly dialog = () => this.page.getByRole('dialog', { name: 'Settings' });
  readonly theme = (choice: ThemeChoice) => this.dialog().getByRole('radio', { name: choice });
  readonly closeButton = () => this.dialog().getByRole('button', { name: 'Close settings' });
  /** C5, C7: on by default; switching it off asks first (the archive is deleted for every device). */
  readonly keepArchive = () => this.dialog().getByRole('checkbox', { name: 'Keep an encrypted archive on the server' });

  async open() {
    await this.openButton().click();
  }

  async chooseTheme(choice: ThemeChoice) {
    await this.theme(choice).check();
  }

  async close() {
    await this.closeButton().click();
  }
}
