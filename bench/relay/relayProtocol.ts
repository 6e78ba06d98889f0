/** What bench/relay.ts and its pair processes (relayPairs.ts) say to each other over IPC. */
export const STAGES = ['outbox commit', 'encrypt', 'server', 'decrypt', 'vault commit', 'history'] as const;
export type StageName = (typeof STAGES)[number];

/**
 * Closed loop: each pair keeps `window` messages in flight (the most it can carry; latency is then
 * mostly queueing, by Little's law). Open loop: each pair sends on a fixed schedule, whatever
 * arrives, and latency counts from the scheduled moment (no coordinated omission).
 */
export type Load = { kind: 'closed'; window: number } | { kind: 'open'; perPairPerSecond: number };

export type ChildCommand =
  | { type: 'start'; serverUrl: string; names: string[] }
  | { type: 'go'; perPair: number; load: Load; /** Write a CPU profile of the measured run only to this file. */ profileFile?: string }
  | { type: 'stop' };

export type ChildReply =
  | { type: 'ready' }
  | {
      type: 'result';
      /** Send → seen in the recipient's inbox, per message, ms. */
      latencies: number[];
      seconds: number;
      cpuSeconds: number;
      /** Summed over the messages seen, ms per stage. */
      stageTotals: Record<StageName, number>;
    }
  | { type: 'failed'; message: string };
