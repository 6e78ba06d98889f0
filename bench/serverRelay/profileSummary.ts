/**
 * Where a `node --cpu-prof` profile's time went: self time per function and per file (or
 * package), as shares of the busy (non-idle) time. Also a CLI:
 * `tsx bench/serverRelay/profileSummary.ts FILE.cpuprofile [top]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type SelfTime = { name: string; ms: number; share: number };
export type ProfileSummary = {
  wallMs: number;
  idleMs: number;
  busyMs: number;
  byFunction: SelfTime[];
  byFile: SelfTime[];
  /** Time with the function anywhere on the stack (counted once per sample), for the repository's own functions. */
  inclusiveOwn: SelfTime[];
};

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A file's short name: the package for node_modules, the path inside the repository, or node's own. */
function fileOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules) return `npm:${inModules[1]}`;
  if (path.startsWith('node:')) return path;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

function ranked(totals: Map<string, number>, busyMs: number): SelfTime[] {
  return [...totals.entries()]
    .map(([name, ms]) => ({ name, ms, share: ms / busyMs }))
    .sort((a, b) => b.ms - a.ms);
}

export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  // Sample i lasts until sample i + 1 is taken.
  for (let index = 0; index < profile.samples.length; index++) {
    const duration = profile.timeDeltas[index + 1] ?? 0;
    const id = profile.samples[index]!;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + duration);
  }
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nameOf = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = fileOf(url, functionName);
    // tsx-compiled files report line 0 for everything; a line is shown only where it means something.
    return `${functionName || '(anonymous)'} ${url ? `${where}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}` : ''}`.trim();
  };
  const isOwn = (node: ProfileNode) => /^src-(server|shared|main)\//.test(fileOf(node.callFrame.url, node.callFrame.functionName));
  const inclusive = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const node = nodes.get(at)!;
      if (!isOwn(node)) continue;
      const name = nameOf(node);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros / 1000);
    }
  }
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let idleMs = 0;
  let wallMs = 0;
  for (const [id, micros] of selfMicros) {
    const { functionName, url } = nodes.get(id)!.callFrame;
    const ms = micros / 1000;
    wallMs += ms;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const where = fileOf(url, functionName);
    const name = nameOf(nodes.get(id)!);
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(where, (byFile.get(where) ?? 0) + ms);
  }
  const busyMs = wallMs - idleMs;
  return {
    wallMs,
    idleMs,
    busyMs,
    byFunction: ranked(byFunction, busyMs),
    byFile: ranked(byFile, busyMs),
    inclusiveOwn: ranked(inclusive, busyMs),
  };
}

export function formatSummary(summary: ProfileSummary, top = 20): string {
  const lines = [
    `sampled ${(summary.wallMs / 1000).toFixed(1)} s: busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s`,
    '',
    '| self time, by function | ms | % of busy |',
    '|---|---:|---:|',
    ...summary.byFunction.slice(0, top).map((entry) => `| ${entry.name} | ${entry.ms.toFixed(0)} | ${(entry.share * 100).toFixed(1)} |`),
    '',
    '| self time, by file or package | ms | % of busy |',
    '|---|---:|---:|',
    ...summary.byFile.slice(0, top).map((entry) => `| ${entry.name} | ${entry.ms.toFixed(0)} | ${(entry.share * 100).toFixed(1)} |`),
    '',
    '| total time (self and callees), the server\'s own functions | ms | % of busy |',
    '|---|---:|---:|',
    ...summary.inclusiveOwn.slice(0, top).map((entry) => `| ${entry.name} | ${entry.ms.toFixed(0)} | ${(entry.share * 100).toFixed(1)} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/serverRelay/profileSummary.ts FILE.cpuprofile [top]\n');
    process.exit(2);
  }
  console.log(formatSummary(summariseProfile(file), Number(top ?? 30)));
}
