import type { AccountSummary } from '../../src-shared/ipc/account';
import { SignedInSession } from '../features/session/SignedInSession';
import { MainLayout } from './MainLayout';

/** Everything after sign-in: the session (history store, core events) around the main layout. */
export function SignedInApp({ account }: { account: AccountSummary }) {
  return (
    <SignedInSession account={account}>
      <MainLayout />
    </SignedInSession>
  );
}
