import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_BUILD, NODE_BUILD_STAMP, NODE_ENTRIES, staleReason } from './buildFreshness';

type RunBuilt = { NAMES: string[]; STAMP: string; SOURCES: string[]; staleReason(root: string): string | undefined };
const RUN_BUILT = pathToFileURL(fileURLToPath(new URL('../../tools/runBuilt.mjs', import.meta.url))).href;
const runBuilt = async () => (await import(RUN_BUILT)) as RunBuilt;

describe('tools/runBuilt.mjs', () => {
  const root = mkdtempSync(join(tmpdir(), 'parley-run-built-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds, and checks freshness, exactly as NODE_BUILD says', async () => {
    const module = await runBuilt();
    expect(module.NAMES).toEqual(NODE_ENTRIES.map((entry) => entry.name));
    expect(module.STAMP).toBe(NODE_BUILD.output);
    expect(NODE_BUILD.output.endsWith(`/${NODE_BUILD_STAMP}`)).toBe(true);
    expect(module.SOURCES).toEqual(NODE_BUILD.sources);
  });

  it('is stale while a bundle is missing or a source is newer than the stamp, as buildFreshness judges it', async () => {
    const { staleReason: bootstrapReason } = await runBuilt();
    mkdirSync(join(root, 'src-main/launcher'), { recursive: true });
    writeFileSync(join(root, 'src-main/launcher/start.ts'), '');
    expect(bootstrapReason(root)).toBe('dist/node/build.json is missing');
    mkdirSync(join(root, 'dist/node'), { recursive: true });
    writeFileSync(join(root, NODE_BUILD.output), '{}');
    expect(bootstrapReason(root)).toBe('dist/node/start.mjs is missing');
    for (const entry of NODE_ENTRIES) writeFileSync(join(root, `dist/node/${entry.name}.mjs`), '');
    const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
    for (const path of ['src-main', 'src-main/launcher', 'src-main/launcher/start.ts']) at(path, 1_000);
    at(NODE_BUILD.output, 2_000);
    expect(bootstrapReason(root)).toBeUndefined();
    expect(staleReason(root, NODE_BUILD)).toBeUndefined();
    at('src-main/launcher/start.ts', 3_000);
    expect(bootstrapReason(root)).toBe('src-main changed since it was built');
    expect(staleReason(root, NODE_BUILD)).toBe('src-main changed since dist/node/build.json was built');
  });
});
