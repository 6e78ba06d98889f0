import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext, Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_SERVICES } from '../../src-shared/ipc/bridge';
import { bundleElectronShell } from './bundleElectronShell';
import { PARLEY_CALL_CHANNEL } from './ipcChannels';

let outDir: string;
let result: Awaited<ReturnType<typeof bundleElectronShell>>;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'parley-electron-bundle-'));
  result = await bundleElectronShell({ outDir });
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('bundleElectronShell', () => {
  it('bundles main as CommonJS that leaves only Electron, the native modules and Node built-ins to require', () => {
    const code = readFileSync(join(outDir, 'main.js'), 'utf8');
    expect(() => new Script(code, { filename: 'main.js' })).not.toThrow();
    const packages = result.mainImports.filter((path) => !path.startsWith('node:') && !builtinModules.includes(path));
    // ws's optional speed-ups are required inside try/catch and may be missing.
    expect(packages.sort()).toEqual(['@signalapp/libsignal-client', 'better-sqlite3', 'bufferutil', 'electron', 'sharp', 'utf-8-validate']);
    expect(JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('bundles a preload that runs where only `electron` can be required, as in a sandboxed renderer, and exposes window.parley', async () => {
    expect(result.preloadImports).toEqual(['electron']);
    const exposed = new Map<string, unknown>();
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, value: { status: 'signed_out' } };
        },
        on: () => undefined,
      },
    };
    const sandbox = createContext({
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
      console,
      queueMicrotask,
    });
    runInContext(readFileSync(join(outDir, 'preload.js'), 'utf8'), sandbox, { filename: 'preload.js' });

    const parley = exposed.get('parley') as Record<string, Record<string, (argument: unknown) => Promise<unknown>>>;
    expect(Object.keys(parley).sort()).toEqual(Object.keys(BRIDGE_SERVICES).sort());
    await expect(parley.account!.getState!({})).resolves.toEqual({ ok: true, value: { status: 'signed_out' } });
    expect(invoked).toEqual([[PARLEY_CALL_CHANNEL, { service: 'account', method: 'getState', argument: {} }]]);
  });
});
