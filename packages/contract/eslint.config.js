import { baseConfig } from '@wallet/eslint-config/base';

// The contract is the vocabulary every other package imports (db -> contract, ledger ->
// contract, web -> contract): it imports none of them, so no cycle can form.
export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@wallet/*', '!@wallet/eslint-config', '!@wallet/tsconfig'],
              message: 'The contract imports only zod: the other packages import it.',
            },
          ],
        },
      ],
    },
  },
];
