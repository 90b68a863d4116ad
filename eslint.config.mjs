import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.local/**', '.venv/**', 'dbt/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Tests walk synthesized CloudFormation JSON, which is untyped by nature.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['lambda/**/*.ts'],
    rules: {
      // lambda/ is runtime code: it must never depend on the infrastructure in lib/.
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/lib/**', '../lib/*', '../../lib/*'], message: 'lambda/ must not import lib/' }] }],
      // Under the JSON log format the runtime wraps console output into a message string (metrics inside are lost):
      // functions log and publish metrics through Powertools (lambda/shared/powertools.ts).
      'no-console': 'error',
    },
  },
);
