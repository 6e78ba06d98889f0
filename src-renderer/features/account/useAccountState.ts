import { useCallback, useEffect, useState } from 'react';
import type { AccountState } from '../../../src-shared/ipc/account';
import type { IpcError } from '../../../src-shared/ipc/result';
import { useBridge } from '../../app/appContext';

export type AccountPhase = { status: 'loading' } | { status: 'unavailable'; error: IpcError } | AccountState;

const sameState = (a: AccountPhase, b: AccountPhase) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Where the profile's account stands: asked once at start, then kept current by
 * onDidChangeState. `accept` lets a form apply the state its own call just produced, without
 * waiting for the event. An equal state keeps its object, so a repeated event does not restart
 * the session.
 */
export function useAccountState(): { phase: AccountPhase; accept(state: AccountState): void; retry(): void } {
  const bridge = useBridge();
  const [phase, setPhase] = useState<AccountPhase>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const accept = useCallback((next: AccountPhase) => setPhase((current) => (sameState(current, next) ? current : next)), []);

  useEffect(() => {
    let current = true;
    const unsubscribe = bridge.account.onDidChangeState((state) => accept(state));
    void bridge.account.getState({}).then((answer) => {
      if (!current) return;
      accept(answer.ok ? answer.value : { status: 'unavailable', error: answer.error });
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [bridge, accept, attempt]);

  const retry = useCallback(() => {
    setPhase({ status: 'loading' });
    setAttempt((value) => value + 1);
  }, []);
  return { phase, accept, retry };
}
