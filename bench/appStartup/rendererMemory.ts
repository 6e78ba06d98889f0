import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

export type RendererMemory = {
  /** V8's heap in the page after a full GC (CDP HeapProfiler.collectGarbage, then Performance.getMetrics). */
  jsHeapUsedBytes: number;
  jsHeapTotalBytes: number;
  /** Resident set of the app's renderer process (VmRSS from /proc), undefined when it cannot be found. */
  rendererRssBytes?: number;
  /** Every renderer process of the app's Chromium, by pid (the largest is the app's page). */
  renderers: Array<{ pid: number; rssBytes: number }>;
};

/** The renderer's memory now: JS heap through CDP, the process's RSS through /proc (Linux). */
export async function measureRendererMemory(page: Page, browserDataDir: string): Promise<RendererMemory> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('HeapProfiler.collectGarbage');
    await session.send('Performance.enable');
    const { metrics } = await session.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((item) => item.name === name)?.value ?? 0;
    const renderers = rendererProcesses(browserDataDir);
    return {
      jsHeapUsedBytes: metric('JSHeapUsedSize'),
      jsHeapTotalBytes: metric('JSHeapTotalSize'),
      rendererRssBytes: renderers.length > 0 ? Math.max(...renderers.map((renderer) => renderer.rssBytes)) : undefined,
      renderers,
    };
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/**
 * The page renderers of the Chromium started on `browserDataDir`: every process of it carries
 * that --user-data-dir (Chromium may rewrite a command line into one space-separated string, so
 * it is matched as text); renderers say --type=renderer, and the browser's own UI renderers
 * (--top-chrome-webui) and extensions are left out.
 */
function rendererProcesses(browserDataDir: string): Array<{ pid: number; rssBytes: number }> {
  const renderers: Array<{ pid: number; rssBytes: number }> = [];
  for (const name of safeList('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const commandLine = ` ${(safeRead(`/proc/${name}/cmdline`) ?? '').replaceAll('\0', ' ')} `;
    if (!commandLine.includes(` --user-data-dir=${browserDataDir} `) || !commandLine.includes(' --type=renderer ')) continue;
    if (commandLine.includes(' --top-chrome-webui ') || commandLine.includes(' --extension-process ')) continue;
    const rss = /VmRSS:\s+(\d+) kB/.exec(safeRead(`/proc/${name}/status`) ?? '');
    if (rss) renderers.push({ pid: Number(name), rssBytes: Number(rss[1]) * 1024 });
  }
  return renderers;
}

/**
 * CPU time so far (user + system, ms) of each kind of process of the Chromium on
 * `browserDataDir`: 'browser', 'renderer', 'utility:storage' (IndexedDB's backend) and so on.
 */
export function chromiumCpu(browserDataDir: string): Map<string, number> {
  const ticksPerMillisecond = 100 / 1000; // USER_HZ is 100 on Linux
  const totals = new Map<string, number>();
  for (const name of safeList('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const commandLine = ` ${(safeRead(`/proc/${name}/cmdline`) ?? '').replaceAll('\0', ' ')} `;
    if (!commandLine.includes(` --user-data-dir=${browserDataDir} `)) continue;
    const stat = safeRead(`/proc/${name}/stat`);
    if (stat === undefined) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const type = / --type=(\S+)/.exec(commandLine)?.[1] ?? 'browser';
    const subType = / --utility-sub-type=(\S+)/.exec(commandLine)?.[1];
    const kind = subType ? `utility:${subType.replace(/\.mojom\..*$/, '')}` : type;
    totals.set(kind, (totals.get(kind) ?? 0) + ticks / ticksPerMillisecond);
  }
  return totals;
}

/** What each kind of Chromium process spent, in cores, over a span (from two chromiumCpu readings). */
export function cpuShares(before: Map<string, number>, after: Map<string, number>, milliseconds: number): Record<string, number> {
  const shares: Record<string, number> = {};
  for (const [kind, total] of after) shares[kind] = (total - (before.get(kind) ?? 0)) / milliseconds;
  return shares;
}

function safeList(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
