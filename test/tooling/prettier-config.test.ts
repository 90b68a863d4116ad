/**
 * `make format-check` with the repository's Prettier configuration (.prettierrc.json, .prettierignore): a snippet
 * formatted otherwise fails the check, the same snippet as Prettier writes it passes, and generated files stay out.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PRETTIER = path.join(REPO_ROOT, 'node_modules', '.bin', 'prettier');

function prettier(args: string[], input?: string) {
  return spawnSync(PRETTIER, args, { cwd: REPO_ROOT, input, encoding: 'utf8' });
}

describe('prettier (.prettierrc.json)', () => {
  const messy = 'const a = {b: "c", d: [1,2,3]}\nexport default a\n';

  test('a file formatted otherwise fails the check; as Prettier writes it, it passes', () => {
    const written = prettier(['--stdin-filepath', 'lib/snippet.ts'], messy);
    expect(written.status).toBe(0);
    expect(written.stdout).toBe("const a = { b: 'c', d: [1, 2, 3] };\nexport default a;\n");
    expect(prettier(['--check', '--stdin-filepath', 'lib/snippet.ts'], messy).status).not.toBe(0);
    expect(prettier(['--check', '--stdin-filepath', 'lib/snippet.ts'], written.stdout).status).toBe(0);
  });

  test('lines wrap at 140 characters', () => {
    const call = (n: number) => `f(${Array.from({ length: n }, (_, i) => `argument${i}`).join(', ')});\n`;
    const out = prettier(['--stdin-filepath', 'lib/snippet.ts'], call(30)).stdout;
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(140);
    expect(out.split('\n').length).toBeGreaterThan(2);
    // 12 arguments make a 136-character line: kept whole at 140 columns (Prettier's default, 80, would wrap it).
    expect(call(12)).toHaveLength(137);
    expect(prettier(['--stdin-filepath', 'lib/snippet.ts'], call(12)).stdout).toBe(call(12));
  });

  test('snapshots, the integ snapshot and recorded calls are ignored', () => {
    for (const file of ['test/templates/prod/__snapshots__/batch.test.ts.snap', 'lib/readiness/recorded-calls.json', 'cdk.out/x.json']) {
      expect(prettier(['--file-info', file]).stdout).toContain('"ignored": true');
    }
    expect(prettier(['--file-info', 'lib/app.ts']).stdout).toContain('"ignored": false');
  });
});
