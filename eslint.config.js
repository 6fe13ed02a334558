// Lint, and the process layering: only electron/main and electron/preload may import
// electron; the renderer talks to the rest only through shared/ (the API contract).
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron; keep this code runnable under plain Node.' }],
  patterns: [{ group: ['electron/*'], message: 'Only electron/main and electron/preload may import electron.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '**/fixtures/**', 'scratch/**'] }, // scratch/: untracked experiments
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', electronOnlyInShell],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: electronOnlyInShell.paths,
        patterns: [
          ...electronOnlyInShell.patterns,
          { group: ['**/electron/**', 'node:*'], message: 'The renderer reaches the app only through the API contract in shared/.' },
        ],
      }],
    },
  },
  {
    // Renderer tests run under plain Node (scripts/run-tests.mjs): node:test yes; a DOM, CSS or app code no.
    files: ['renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...electronOnlyInShell.paths, { name: 'react-dom', message: 'Renderer tests run under plain Node: no DOM.' }],
        patterns: [
          ...electronOnlyInShell.patterns,
          { group: ['**/electron/**', 'react-dom/*', '*.css'], message: 'Renderer tests run under plain Node: test the pure modules, without a DOM, CSS or the app.' },
        ],
      }],
    },
  },
  {
    files: ['shared/**'],
    ignores: ['shared/**/*.test.ts'], // tests run under Node and may use it
    rules: {
      'no-restricted-imports': ['error', {
        paths: electronOnlyInShell.paths,
        patterns: [{ group: ['node:*', '**/electron/**', '**/renderer/**', 'react'], message: 'shared/ is imported by both sides: no Node, Electron, React or app imports.' }],
      }],
    },
  },
);
