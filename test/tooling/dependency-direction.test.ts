/**
 * The dependency-direction rules of eslint.config.mjs, fed one import per forbidden direction and the allowed
 * neighbour of each: the project's own ESLint config must report every forbidden import and none of the allowed ones.
 *
 * ESLint loads its flat config with a dynamic import, which jest's module sandbox does not support, so the Node API
 * runs in a child process. The snippets do not exist on disk: type information is switched off for them
 * (typescript-eslint's `disableTypeChecked`), which leaves every other rule of the project config as it is.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';

interface Snippet {
  readonly file: string;
  readonly from: string;
}

const LINT_SNIPPETS = `
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
const snippets = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
const found = [];
for (const { file, from } of snippets) {
  const [result] = await eslint.lintText(\`import * as target from '\${from}';\\nexport { target };\\n\`, { filePath: file });
  found.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
}
process.stdout.write(JSON.stringify(found));
`;

/** The messages of the direction rule for each snippet, in order. */
function directionFindings(snippets: readonly Snippet[]): string[][] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_SNIPPETS, JSON.stringify(snippets)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const found = JSON.parse(out) as { ruleId: string | null; message: string }[][];
  for (const [i, messages] of found.entries()) {
    const fatal = messages.find((m) => m.ruleId === null);
    if (fatal) throw new Error(`${snippets[i].file}: ${fatal.message}`);
  }
  return found.map((messages) => messages.filter((m) => m.ruleId === RULE).map((m) => m.message));
}

const FORBIDDEN: Snippet[] = [
  { file: 'lambda/batch/snippet.ts', from: '../../lib/config' },
  { file: 'lambda/contracts/snippet.ts', from: '../../scripts/generator' },
  { file: 'lambda/snippet.ts', from: '../test/helpers/synth' },
  { file: 'lib/constructs/snippet.ts', from: '../../lambda/batch/config' },
  { file: 'lib/constructs/snippet.ts', from: '../../lambda/shared/lake-keys' },
  { file: 'lib/snippet.ts', from: '../lambda/stream-processor/settings' },
  { file: 'lib/readiness/snippet.ts', from: '../../test/helpers/synth' },
  { file: 'scripts/snippet.ts', from: '../test/helpers/synth' },
  { file: 'scripts/local/batch/snippet.ts', from: '../../../test/helpers/synth' },
  { file: 'scripts/local/stream/snippet.ts', from: '../../../bench/stream' },
  { file: 'test/streaming/snippet.ts', from: '../../bench/stream' },
  { file: 'test/snippet.ts', from: '../bench/rss' },
  { file: 'bench/snippet.ts', from: '../test/helpers/synth' },
];

const ALLOWED: Snippet[] = [
  { file: 'lambda/batch/snippet.ts', from: '../contracts/table-specs' },
  { file: 'lambda/batch/snippet.ts', from: '../shared/lake-keys' },
  { file: 'lib/constructs/snippet.ts', from: '../../lambda/contracts/table-specs' },
  { file: 'lib/constructs/snippet.ts', from: '../config' },
  { file: 'scripts/local/batch/snippet.ts', from: '../../../lambda/batch/handlers/extract' },
  { file: 'scripts/local/warehouse/snippet.ts', from: './test' },
  { file: 'scripts/local/batch/snippet.ts', from: '../../../lib/config' },
  { file: 'test/streaming/snippet.ts', from: '../../scripts/generator/stream-fixture' },
  { file: 'test/streaming/snippet.ts', from: '../helpers/synth' },
  { file: 'bench/snippet.ts', from: '../scripts/local/batch/run' },
];

describe('ESLint dependency direction', () => {
  const findings = directionFindings([...FORBIDDEN, ...ALLOWED]);

  test.each(FORBIDDEN.map((s, i) => [s.file, s.from, i] as const))('%s importing %s is reported', (_file, _from, i) => {
    expect(findings[i]).toHaveLength(1);
  });

  test.each(ALLOWED.map((s, i) => [s.file, s.from, FORBIDDEN.length + i] as const))('%s importing %s is allowed', (_file, _from, i) => {
    expect(findings[i]).toEqual([]);
  });

  test('the message names the rule that was broken', () => {
    expect(findings[0][0]).toMatch(/lambda\/ is runtime code/);
    expect(findings[3][0]).toMatch(/only through lambda\/contracts/);
  });
});
