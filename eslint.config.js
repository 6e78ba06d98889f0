// Process boundaries are import rules (ARCHITECTURE.md §1): a violation fails lint, and lint runs in
// the test command. Each zone lists what its folder may never import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Node's built-in modules by exact name (as patterns, `domain` would match our own domain/ folder).
const NODE = Symbol('node built-ins');
const nodeBuiltinPaths = builtinModules.filter((name) => !name.startsWith('_'));

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

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'bench/results/**', '.profiles/**', '.data/**'] },
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
    files: ['src-main/cli/**/*.ts', 'src-main/web-shell/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', '**/electron/**', '**/src-renderer/**', '**/src-server/**'],
      'The command-line and web shells run without Electron and never import server code.',
    ),
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    rules: forbid(
      ['**/src-main/**', '**/src-server/**', 'electron', 'electron/*', NODE],
      'The renderer reaches main only through window.parley (src-renderer/bridge.ts).',
    ),
  },
  {
    files: ['src-server/**/*.ts'],
    rules: forbid(
      ['**/src-main/**', '**/src-renderer/**', 'electron', 'electron/*', '@signalapp/libsignal-client'],
      'The server never imports client code, and never needs the client-side crypto library.',
    ),
  },
);
