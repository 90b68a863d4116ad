/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Diagnostics on. tsconfig.json's isolatedModules makes ts-jest transpile each file on its own, reporting what a
  // single file shows (syntax, isolated-module errors); the types of the whole program are checked by `tsc --noEmit`
  // (make typecheck). Type-checking every test file's program again in ts-jest costs about 6x the CPU and 3 GB.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: true }] },
  snapshotSerializers: ['<rootDir>/test/helpers/asset-hash-serializer.ts'],
  testTimeout: 120000,
};
