import type { Page } from '@playwright/test';

/** The first screen of a new profile: a username and a password (A1). */
export class SignUpPage {
  constructor(private readonly page: Page) {}

  readonly username = () => this.page.getByRole('textbox', { name: 'Username' });
  readonly password = () => this.page.getByRole('textbox', { name: 'Password' });
  readonly createAccount = () => this.page.getByRole('button', { name: 'Create account' });

  async signUp(username: string, password: string) {
    await this.username().fill(username);
    await this.password().fill(password);
    await this.createAccount().click();
  }
}
