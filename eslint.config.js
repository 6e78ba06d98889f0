// Process boundaries are import rules (ARCHITECTURE.md §1): a violation fails lint, and lint runs in
// the test command. Each zone lists what its folder may never import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Node's built-in modules by exact name (as patterns, `domain` would match our own domain/ folder).
const NODE = Symbol('node built-ins');
const nodeBuiltinPaths = builtinModules.filter((name) => !name.startsWith('_'));

const PAGE_MESSAGE = 'The page-side bridge runs in the browser: it imports src-shared and its own folder only.';

const forbid = (patterns, message) => {
  const noNode = patterns.includes(NODE);
  const group = patterns.filter((pattern) => pattern !== NODE);
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: noNode ? nodeBuiltinPaths.map((name) => ({ name, message })) : [],
        patterns: [{ group: noNode ? [...group, 'node:*'] : group, message }],
      },
    ],
  };
};

const ELECTRON_ONLY = 'Electron is imported only under src-main/electron (the desktop shell).';
const ELECTRON_MESSAGE = 'The Electron shell imports no renderer, server, web-shell or command-line code.';

/** The Electron zone's import rules; `ipcMain`/`preload` say whether this file is that chokepoint. */
const electronRules = ({ ipcMain, preload }) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [
        ...(ipcMain ? [] : [{ name: 'electron', importNames: ['ipcMain'], message: 'ipcMain is touched only in src-main/electron/ipc.ts.' }]),
        ...(preload
          ? []
          : [{ name: 'electron', importNames: ['ipcRenderer', 'contextBridge'], message: 'ipcRenderer and contextBridge are touched only in src-main/electron/preload.ts.' }]),
      ],
      patterns: [{ group: ['**/src-renderer/**', '**/src-server/**', '**/web-shell/**', '**/cli/**', '**/launcher/**'], message: ELECTRON_MESSAGE }],
    },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "ImportDeclaration[source.value='electron'] > :matches(ImportNamespaceSpecifier, ImportDefaultSpecifier)",
      message: "Import Electron's modules by name (import { app } from 'electron'), so the ipcMain/ipcRenderer chokepoints hold.",
    },
    { selector: "ImportExpression[source.value='electron']", message: 'Import Electron statically and by name.' },
    { selector: "CallExpression[callee.name='require'][arguments.0.value='electron']", message: 'Import Electron statically and by name.' },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'bench/results/**', '.profiles/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Electron exists only in its shell; the zones below repeat this with their own lists.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: ['src-main/electron/**'],
    rules: {
      // The package only: tests elsewhere may use the shell's plain modules (fakeElectron, the bundler).
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: ELECTRON_ONLY }], patterns: [{ regex: '^electron/', message: ELECTRON_ONLY }] }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: forbid(
      ['**/src-main/**', '**/src-server/**', '**/src-renderer/**', 'electron', NODE],
      'src-shared holds contracts only: it imports no other src-* folder, no Node and no Electron.',
    ),
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', '**/electron/**', '**/src-renderer/**', '**/src-server/**', '**/cli/**', '**/web-shell/**'],
      'src-main/core is plain Node: no Electron, no shell, no renderer, no server code.',
    ),
  },
  {
    files: ['src-main/cli/**/*.ts', 'src-main/web-shell/**/*.ts', 'src-main/launcher/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', '**/electron/**', '**/src-renderer/**', '**/src-server/**'],
      'The command-line shell, the web shell and npm start (launcher) import neither Electron nor server code.',
    ),
  },
  {
    // The web shell's page-side bridge runs in the browser: like the renderer, only src-shared.
    files: ['src-main/web-shell/page/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinPaths.map((name) => ({ name, message: PAGE_MESSAGE })),
          patterns: [
            { group: ['node:*', 'electron', 'electron/*', '**/src-main/**', '**/src-server/**', '**/src-renderer/**'], message: PAGE_MESSAGE },
            { regex: '^\\.\\./(?!\\.\\./\\.\\./src-shared/)', message: PAGE_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    rules: forbid(
      ['**/src-main/**', '**/src-server/**', 'electron', 'electron/*', NODE],
      'The renderer reaches main only through window.parley (src-renderer/bridge.ts).',
    ),
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Plain scripts the renderer's page loads as they are (themeBoot.js runs before the bundle).
    files: ['src-renderer/public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['src-server/**/*.ts'],
    rules: forbid(
      ['**/src-main/**', '**/src-renderer/**', 'electron', 'electron/*', '@signalapp/libsignal-client'],
      'The server never imports client code; libsignal only in services/keySignatures.ts (and test keys).',
    ),
  },
  {
    // The one server chokepoint for libsignal: it verifies prekey signatures before storing them.
    files: ['src-server/services/keySignatures.ts', 'src-server/testing/fakeKeys.ts'],
    rules: forbid(['**/src-main/**', '**/src-renderer/**', 'electron', 'electron/*'], 'The server never imports client code.'),
  },
  {
    // The Electron shell: a shell over core, like the others. Its dangerous APIs each have one
    // chokepoint (CONVENTIONS habit 2): ipcMain in ipc.ts, ipcRenderer and contextBridge in
    // preload.ts. Named imports only, so the chokepoints cannot be walked around.
    files: ['src-main/electron/**/*.ts'],
    rules: electronRules({ ipcMain: false, preload: false }),
  },
  { files: ['src-main/electron/ipc.ts'], rules: electronRules({ ipcMain: true, preload: false }) },
  { files: ['src-main/electron/preload.ts'], rules: electronRules({ ipcMain: false, preload: true }) },
);
