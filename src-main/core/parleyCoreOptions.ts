import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { MessageProbe } from './sync/messageProbe';
import type { Vault } from './vault/vault';

/** What ParleyCore.open takes. */
export type ParleyCoreOptions = {
  vault: Vault;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  backoff?: { initialMs: number; maxMs: number };
  /** How long the vault remembers processed envelope ids (the server's retention, plus a margin). */
  dedupWindowMs?: number;
  /**
   * Allow http:// and ws:// to the account's server on another machine (`--insecure`); without
   * it open() throws InsecureTransportError for such a server. See TransportOptions.
   */
  allowInsecureTransport?: boolean;
  /** Benchmarks only: told when each message passes a stage (see MessageProbe). */
  probe?: MessageProbe;
  /** How long delivery receipts owed wait for more to join them (RECEIPT_DELAY_MS by default). */
  receiptDelayMs?: number;
};
