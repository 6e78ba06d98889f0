import type { Page } from '@playwright/test';

export type ThemeChoice = 'System' | 'Light' | 'Dark';
/** The sections of Settings' side list (Active sessions opens a page of its own: ActiveSessionsPage). */
export type SettingsSection = 'Edit profile' | 'Privacy and security' | 'Data and storage' | 'Appearance' | 'Shortcuts';
export type Audience = 'Everyone' | 'My contacts' | 'Nobody';

/** Settings (a two-pane dialog): the sections on the left, the chosen one on the right. */
export class SettingsPage {
  constructor(private readonly page: Page) {}

  readonly openButton = () => this.page.getByRole('button', { name: 'Settings' });
  readonly dialog = () => this.page.getByRole('dialog', { name: 'Settings' });
  readonly sectionButton = (section: SettingsSection) => this.dialog().getByRole('button', { name: section, exact: true });
  /** Privacy and security (F3): Everyone, My contacts, Nobody. */
  readonly whoCanCall = (choice: Audience) => this.dialog().getByRole('radiogroup', { name: 'Who can call me' }).getByRole('radio', { name: choice });
  /** Privacy and security (A4): Everyone, My contacts, Nobody. */
  readonly avatarVisibleTo = (choice: Audience) => this.dialog().getByRole('radiogroup', { name: 'Avatar visible to' }).getByRole('radio', { name: choice });
  /** Privacy and security (H3): my optional phone number. */
  readonly phoneNumber = () => this.dialog().getByRole('textbox', { name: 'Phone number' });
  readonly sendCode = () => this.dialog().getByRole('button', { name: 'Send code' });
  readonly code = () => this.dialog().getByRole('textbox', { name: 'Code', exact: true });
  readonly verify = () => this.dialog().getByRole('button', { name: 'Verify', exact: true });
  readonly removePhoneNumber = () => this.dialog().getByRole('button', { name: 'Remove phone number' });
  readonly findMeByPhone = () => this.dialog().getByRole('checkbox', { name: 'Find me by my phone number' });
  /** Privacy and security (B2): contacts from a file, and their hashes off the server. */
  readonly importContacts = () => this.dialog().getByRole('button', { name: 'Import contacts' });
  readonly deleteSyncedContacts = () => this.dialog().getByRole('button', { name: 'Delete synced contacts' });
  /** B4. */
  readonly suggestFrequent = () => this.dialog().getByRole('checkbox', { name: 'Suggest frequent contacts' });
  /** Privacy and security (B3): everyone I blocked, each with Unblock. */
  readonly blockedUsers = () => this.dialog().getByRole('list', { name: 'Blocked users' });
  /** Edit profile (A2). */
  readonly displayName = () => this.dialog().getByRole('textbox', { name: 'Display name' });
  readonly bio = () => this.dialog().getByRole('textbox', { name: 'Bio' });
  /** Edit profile (A3): my @username, saved with Save profile. */
  readonly username = () => this.dialog().getByRole('textbox', { name: 'Username' });
  /** Edit profile (A4): opens the system's file picker. */
  readonly chooseAvatar = () => this.dialog().getByRole('button', { name: 'Choose avatar' });
  readonly removeAvatar = () => this.dialog().getByRole('button', { name: 'Remove avatar' });
  readonly ownAvatarImage = () => this.dialog().locator('img.avatar__image');
  readonly saveProfile = () => this.dialog().getByRole('button', { name: 'Save profile' });
  readonly theme = (choice: ThemeChoice) => this.dialog().getByRole('radio', { name: choice });
  readonly closeButton = () => this.dialog().getByRole('button', { name: 'Close settings' });
  /** C5, C7: on by default; switching it off asks first (the archive is deleted for every device). */
  readonly keepArchive = () => this.dialog().getByRole('checkbox', { name: 'Keep an encrypted archive on the server' });

  async open() {
    await this.openButton().click();
  }

  async show(section: SettingsSection) {
    await this.sectionButton(section).click();
  }

  async chooseTheme(choice: ThemeChoice) {
    await this.show('Appearance');
    await this.theme(choice).check();
  }

  /** Edit profile → Choose avatar, answering the file picker with `file`. */
  async pickAvatar(file: string) {
    const chooser = this.page.waitForEvent('filechooser');
    await this.chooseAvatar().click();
    await (await chooser).setFiles(file);
  }

  /** Privacy and security → Import contacts, answering the file picker with a file of `contents`. */
  async pickContactsFile(name: string, contents: string) {
    const chooser = this.page.waitForEvent('filechooser');
    await this.importContacts().click();
    await (await chooser).setFiles({ name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'text/vcard', buffer: Buffer.from(contents) });
  }

  async close() {
    await this.closeButton().click();
  }
}
