import { Tally } from './httpOracle';

type LogLine = { level?: string; event?: string; error?: string };

/**
 * Drains a server's captured log lines as they come (so a long run does not hold them all in
 * memory), counting events and keeping every line at warn or above.
 */
export class LogWatch {
  readonly events = new Tally();
  readonly serious: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly logs: string[]) {
    this.timer = setInterval(() => this.drain(), 250);
  }

  drain(): void {
    for (const line of this.logs.splice(0)) {
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        this.serious.push(`unparsable log line: ${line.slice(0, 200)}`);
        continue;
      }
      this.events.add(`${parsed.level ?? '?'}:${parsed.event ?? '?'}`);
      if (parsed.level !== 'debug' && parsed.level !== 'info') this.serious.push(line.slice(0, 500));
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.drain();
  }
}
