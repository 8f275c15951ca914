import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tormenta/', 'coverage/', 'test/cluster/kube-tools/', 'services/*/dist/', 'charts/', 'k8s/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // kafkajs must be patched before it is first loaded (services/kafka/src/kafkajs-patch.ts); an import elsewhere would
    // load it first. Types are erased, so `import type` is fine.
    ignores: ['services/kafka/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kafkajs', 'kafkajs/*'],
              allowTypeImports: true,
              message:
                "Kafka goes through @tormenta/kafka, which patches kafkajs before loading it: import { kafkajs } from '@tormenta/kafka'.",
            },
          ],
        },
      ],
    },
  },
);
