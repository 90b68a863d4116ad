/**
 * jest.config.js reports TypeScript diagnostics: a test file with an error TypeScript emits code for anyway (an
 * octal literal) fails to run instead of passing. The project config runs in a child jest on a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function runJestOn(source: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-jest-diagnostics-'));
  try {
    fs.writeFileSync(path.join(dir, 'snippet.test.ts'), source);
    const jest = path.join(REPO_ROOT, 'node_modules', '.bin', 'jest');
    const res = spawnSync(jest, ['--config', path.join(REPO_ROOT, 'jest.config.js'), '--roots', dir, '--no-cache', '--ci'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    return { status: res.status, output: res.stdout + res.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a test file with a TypeScript error fails to run', () => {
  const { status, output } = runJestOn("test('mode', () => {\n  const mode = 0755;\n  expect(mode).toBe(493);\n});\n");
  expect(status).toBe(1);
  expect(output).toMatch(/TS1121/);
});

test('the same test without the error passes', () => {
  const { status, output } = runJestOn("test('mode', () => {\n  const mode = 0o755;\n  expect(mode).toBe(493);\n});\n");
  expect({ status, passed: /Tests:\s+1 passed/.test(output) }).toEqual({ status: 0, passed: true });
});
