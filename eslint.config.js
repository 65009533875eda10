import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { srcLayers } from './eslint-rules/index.js';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'actions/dist/', 'coverage/', 'models/', 'bench/results/', 'src/**/assembly/', 'src/train/fused/kernels-wasm.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules where the types are ours: src and test (TypeScript's own project).
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    // An async function without await is how a callback meets a Promise-returning interface.
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Tests read artifacts back as JSON (any): checking every access of it adds casts, not safety.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }] },
  },
  srcLayers,
);
