import nextPlugin from '@next/eslint-plugin-next';
import { baseConfig } from '@wallet/eslint-config/base';
import reactHooks from 'eslint-plugin-react-hooks';

/** The shared rules, plus React's hook rules and Next's own checks, and the web's import boundary. */
export default [
  ...baseConfig,
  { ignores: ['next-env.d.ts', 'test-results/**', 'playwright-report/**'] },
  reactHooks.configs.flat.recommended,
  nextPlugin.configs['core-web-vitals'],
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      // The dashboard talks to the API only over tRPC: it may import the router's types,
      // never the server, the ledger or the database.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@wallet/api',
              allowTypeImports: true,
              message: 'Import only types from the API.',
            },
          ],
          patterns: [
            { group: ['@wallet/api/*'], message: 'Import only types from @wallet/api.' },
            {
              group: ['@wallet/db', '@wallet/db/*', '@wallet/ledger'],
              message: 'The dashboard talks to the API only.',
            },
          ],
        },
      ],
    },
  },
];
