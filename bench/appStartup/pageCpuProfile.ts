import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Where the page's main thread spent a span: self time by function, the largest first. */
export type ProfileSummary = { totalMilliseconds: number; top: Array<{ function: string; selfMilliseconds: number; share: number }> };

/**
 * Profiles the page's main thread (CDP Profiler) around `work`: writes the .cpuprofile (open it
 * in Chromium's DevTools) and answers its top self times.
 */
export async function profilePage<T>(page: Page, file: string, work: () => Promise<T>): Promise<{ result: T; summary: ProfileSummary }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
  try {
    const result = await work();
    const { profile } = (await session.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    writeFileSync(file, JSON.stringify(profile));
    return { result, summary: summarize(profile) };
  } finally {
    await session.detach().catch(() => undefined);
  }
}

function summarize(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').pop() ?? '';
    const name = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const totalMilliseconds = (profile.endTime - profile.startTime) / 1000;
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, selfMilliseconds]) => ({ function: name, selfMilliseconds, share: selfMilliseconds / totalMilliseconds }));
  return { totalMilliseconds, top };
}
