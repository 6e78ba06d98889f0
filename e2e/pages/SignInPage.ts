import type { Page } from '@playwright/test';

/** A registered profile whose vault is locked (the web shell has no OS keychain): its password opens it. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  readonly password = () => this.page.getByRole('textbox', { name: 'Password' });
  readonly signInButton = () => this.page.getByRole('button', { name: 'Sign in' });

  async signIn(password: string) {
    await this.password().fill(password);
    await this.signInButton().click();
  }
}
