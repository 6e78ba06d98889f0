/** What bench/relay.ts and its pair processes (relayPairs.ts) say to each other over IPC. */
export const STAGES = ['outbox commit', 'encrypt', 'server', 'decrypt', 'vault commit', 'history'] as const;
export type StageName = (typeof STAGES)[number];

export type ChildCommand =
  | { type: 'start'; serverUrl: string; names: string[] }
  | { type: 'go'; perPair: number; window: number; /** Write a CPU profile of the measured run only to this file. */ profileFile?: string }
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
