import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasNpmScript, staleReason } from './buildFreshness';

describe('build freshness', () => {
  const root = mkdtempSync(join(tmpdir(), 'parley-freshness-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const build = { output: 'dist/app/index.html', sources: ['src', 'config.ts'] };
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

  it('asks for a build when the output is missing or older than any source, not otherwise', () => {
    mkdirSync(join(root, 'src/deep/node_modules'), { recursive: true });
    writeFileSync(join(root, 'src/deep/a.ts'), '');
    writeFileSync(join(root, 'src/deep/node_modules/ignored.js'), '');
    expect(staleReason(root, build)).toBe('dist/app/index.html is missing');

    mkdirSync(join(root, 'dist/app'), { recursive: true });
    writeFileSync(join(root, 'dist/app/index.html'), '');
    for (const path of ['src', 'src/deep', 'src/deep/a.ts', 'src/deep/node_modules', 'dist/app/index.html']) at(path, 2_000);
    at('src/deep/node_modules/ignored.js', 3_000);
    expect(staleReason(root, build)).toBeUndefined();

    at('src/deep/a.ts', 2_001);
    expect(staleReason(root, build)).toBe('src changed since dist/app/index.html was built');
    at('src/deep/a.ts', 1_000);
    writeFileSync(join(root, 'config.ts'), '');
    at('config.ts', 2_500);
    expect(staleReason(root, build)).toBe('config.ts changed since dist/app/index.html was built');
  });

  it("reads package.json's scripts", () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { 'build:renderer': 'vite build' } }));
    expect(hasNpmScript(root, 'build:renderer')).toBe(true);
    expect(hasNpmScript(root, 'build:electron')).toBe(false);
  });
});
