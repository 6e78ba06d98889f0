import type { Page } from '@playwright/test';

/** Settings → Active sessions (A9): every device of the account; Terminate, Link a device (C5). */
export class ActiveSessionsPage {
  constructor(private readonly page: Page) {}

  readonly openButton = () => this.page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Active sessions' });
  readonly dialog = () => this.page.getByRole('dialog', { name: 'Active sessions' });
  readonly list = () => this.dialog().getByRole('list', { name: 'Active sessions' });
  readonly devices = () => this.list().getByRole('listitem');
  /** The device listed as `name` (its list item is named by the device name). */
  readonly device = (name: string) => this.list().getByRole('listitem', { name, exact: true });
  readonly thisDevice = () => this.devices().filter({ hasText: 'This device' });
  readonly terminateButton = (name: string) => this.device(name).getByRole('button', { name: 'Terminate', exact: true });
  readonly terminateAllButton = () => this.dialog().getByRole('button', { name: 'Terminate all other sessions' });
  readonly confirmButton = () => this.dialog().getByRole('button', { name: 'Confirm' });
  readonly linkDeviceButton = () => this.dialog().getByRole('button', { name: 'Link a device' });
  readonly linkCode = () => this.dialog().getByRole('textbox', { name: 'Link code' });
  readonly linkButton = () => this.dialog().getByRole('button', { name: 'Link', exact: true });

  /** From the open Settings dialog. */
  async open() {
    await this.openButton().click();
  }

  /** Pastes a new device's link code, checks it, and confirms. */
  async link(code: string) {
    await this.linkDeviceButton().click();
    await this.linkCode().fill(code);
    await this.linkButton().click();
    await this.confirmButton().click();
  }

  async terminate(name: string) {
    await this.terminateButton(name).click();
    await this.confirmButton().click();
  }
}
