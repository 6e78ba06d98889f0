import type { Page } from '@playwright/test';

/**
 * The welcome screen's Sign in with your password (C5): on a machine with no device of the
 * account, it names where the account is still signed in, and starts fresh once confirmed.
 */
export class SignInWithoutDevicePage {
  constructor(private readonly page: Page) {}

  readonly startButton = () => this.page.getByRole('button', { name: 'Sign in with your password' });
  readonly username = () => this.page.getByRole('textbox', { name: 'Username' });
  readonly password = () => this.page.getByRole('textbox', { name: 'Password' });
  readonly continueButton = () => this.page.getByRole('button', { name: 'Continue' });
  readonly explanation = () => this.page.getByRole('heading', { name: 'Your history stays on your devices' });
  /** The account's devices, in the list named `@USERNAME is still signed in on`. */
  readonly signedInDevices = (username: string) =>
    this.page.getByRole('list', { name: `@${username} is still signed in on` }).getByRole('listitem');
  readonly linkInsteadButton = () => this.page.getByRole('button', { name: 'Link this device instead' });
  readonly startFreshButton = () => this.page.getByRole('button', { name: 'Start fresh' });
  readonly confirmPrompt = () => this.page.getByRole('alertdialog');
  readonly confirmButton = () => this.page.getByRole('button', { name: 'Delete history and start fresh' });
}
