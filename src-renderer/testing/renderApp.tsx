import { render, type RenderResult } from '@testing-library/react';
import { App } from '../app/App';
import { createAppStore, type AppStore } from '../app/appStore';
import { createI18n } from '../i18n/createI18n';
import { fakeUuid, FakeMain, type FakeMainOptions } from './fakeMain';

export type RenderedApp = RenderResult & { main: FakeMain; store: AppStore };

/** The whole renderer against a fake main, as main.tsx wires it. */
export function renderApp(options: FakeMainOptions = {}): RenderedApp {
  const main = new FakeMain(options);
  const store = createAppStore();
  const rendered = render(<App bridge={main.bridge} store={store} i18n={createI18n()} />);
  return { ...rendered, main, store };
}

/** A signed-in account with a fresh id, so each test gets its own history database. */
export function signedInAs(username = 'alice'): FakeMainOptions & { state: { status: 'signed_in'; account: { accountId: string; username: string; deviceId: number } } } {
  const account = { accountId: fakeUuid(), username, deviceId: 1 };
  return { state: { status: 'signed_in', account }, directory: { [username]: account.accountId } };
}
