import tseslint from 'typescript-eslint';

/**
 * Dependency direction, checked on the import specifier. Imports are relative (no path aliases), so an import that
 * climbs out of its folder (`../`, `../../`, …) and then names a top-level folder reaches that folder.
 *
 *   lambda/  runtime code: imports no other top-level folder (bundled into the functions on its own)
 *   lib/     infrastructure: reaches runtime code only through the contract module lambda/contracts/
 *   scripts/ local run and CLIs: never test/ or bench/ (they import scripts/, not the other way round)
 *   test/    never bench/ (a benchmark's fixtures live in scripts/ when tests share them)
 *   bench/   never test/
 */
const reaching = (folders) => `^(\\.\\./)+(${folders})(/|$)`;
const direction = (message, regex) => ['error', { patterns: [{ regex, message }] }];

export const DEPENDENCY_DIRECTION = [
  {
    files: ['lambda/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': direction(
        'lambda/ is runtime code: it must not import bin/, lib/, scripts/, test/ or bench/.',
        reaching('lib|scripts|test|bench|bin'),
      ),
    },
  },
  {
    files: ['lib/**/*.ts', 'bin/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': direction(
        'lib/ reaches runtime code only through lambda/contracts/, and never imports scripts/, test/ or bench/.',
        `${reaching('scripts|test|bench')}|^(\\.\\./)+lambda/(?!contracts/)`,
      ),
    },
  },
  {
    files: ['scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': direction('scripts/ must not import test/ or bench/.', reaching('test|bench')),
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': direction(
        'test/ must not import bench/ (shared fixtures belong in scripts/).',
        reaching('bench'),
      ),
    },
  },
  {
    files: ['bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': direction('bench/ must not import test/.', reaching('test')),
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.local/**', '.venv/**', 'dbt/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
      // Ports are implemented with `async` methods even where nothing is awaited (in-memory stores, fakes of the
      // S3/SNS/Kinesis clients): an `async` function turns a throw into a rejection, as the real adapter would.
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...DEPENDENCY_DIRECTION,
  {
    // Tests walk synthesized CloudFormation JSON, which is untyped by nature: aws-cdk-lib's assertions API returns it
    // as `any` (Template.toJSON, findResources), and so do jest's asymmetric matchers (expect.anything(), …).
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['lambda/**/*.ts'],
    rules: {
      // Under the JSON log format the runtime wraps console output into a message string (metrics inside are lost):
      // functions log and publish metrics through Powertools (lambda/shared/powertools.ts).
      'no-console': 'error',
    },
  },
);
