import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The shared flat config: typed rules for every TypeScript file, plus the
 * project-wide bans that keep money exact and configuration in one place.
 */
export const baseConfig = tseslint.config(
  { ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', '**/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'parseFloat', message: 'Money is exact: parse decimals with the money module.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Number',
          property: 'parseFloat',
          message: 'Money is exact: parse decimals with the money module.',
        },
        {
          property: 'toFixed',
          message: 'Money is exact: format amounts with the money module.',
        },
        {
          object: 'process',
          property: 'env',
          message: 'Read the environment only in env.ts, where it is validated.',
        },
      ],
    },
  },
  {
    // The one place per package that reads the environment (and validates it).
    files: ['**/env.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
