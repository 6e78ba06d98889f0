import { createContext, useContext } from 'react';
import type { Session } from './startSession';

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only components under <SignedInSession> use it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in session');
  return session;
}
