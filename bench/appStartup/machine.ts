import type { Page } from '@playwright/test';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

/** The machine a run measured on, for the table's heading and the JSON. */
export type Machine = {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  shell: 'web';
  /** The 1-minute load average when the run started and when it ended: other work on the machine shows here. */
  loadAtStart: number;
  loadAtEnd: number;
};

export function describeMachine(chromium: string, loadAtStart: number): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown cpu',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    chromium,
    shell: 'web',
    loadAtStart,
    loadAtEnd: loadavg()[0]!,
  };
}

export const currentLoad = () => loadavg()[0]!;

export function machineLine(machine: Machine): string {
  return (
    `${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.chromium}, ${machine.shell} shell; ` +
    `load average ${machine.loadAtStart.toFixed(2)} at start, ${machine.loadAtEnd.toFixed(2)} at end`
  );
}

/** The browser's own version (CDP Browser.getVersion; the user agent hides the minor numbers). */
export async function chromiumVersion(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page);
  try {
    const version = (await session.send('Browser.getVersion')) as { product: string };
    return version.product.replace('HeadlessChrome/', 'Chromium ').replace('Chrome/', 'Chromium ');
  } catch {
    return 'Chromium';
  } finally {
    await session.detach().catch(() => undefined);
  }
}
