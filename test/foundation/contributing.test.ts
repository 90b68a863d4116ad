import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/synth';

/** CONTRIBUTING.md and the decision records name real files: a move that forgets them fails here. */

const FILE_ENDINGS = /\.(md|ts|mjs|js|json|ya?ml|py|sql|Dockerfile)$/;
/** A relative path: lower-case first segment, then word characters, dots, dashes, `<placeholders>` and `*`. */
const PATH_LIKE = /^[a-z][\w.-]*(\/[\w.<>*-]+)*\/?$/;

/**
 * The repository paths a markdown text names: code spans that look like a relative path (with a `/` or a file
 * ending; not `DataFlow/Batch` or `s3://…`) and relative link targets. Link targets are relative to `dir` (the
 * document's folder), spans to the repository root.
 */
export function namedPaths(text: string, dir: string): string[] {
  const spans = [...text.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1])
    .filter((s) => PATH_LIKE.test(s) && (s.includes('/') || FILE_ENDINGS.test(s)));
  const links = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
  return [...spans, ...links.map((l) => path.relative(REPO_ROOT, path.join(dir, l)))];
}

/** Whether a named path exists; `<placeholder>` parts need their folder to exist, `*` parts a matching entry. */
export function exists(named: string): boolean {
  const placeholder = named.indexOf('<');
  if (placeholder >= 0) return fs.existsSync(path.join(REPO_ROOT, named.slice(0, named.lastIndexOf('/', placeholder) + 1)));
  if (named.includes('*')) {
    const folder = path.join(REPO_ROOT, path.dirname(named));
    const pattern = new RegExp(
      `^${path
        .basename(named)
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    return fs.existsSync(folder) && fs.readdirSync(folder).some((entry) => pattern.test(entry));
  }
  return fs.existsSync(path.join(REPO_ROOT, named));
}

export function missingPaths(text: string, dir = REPO_ROOT): string[] {
  return namedPaths(text, dir).filter((p) => !exists(p));
}

const ADR_DIR = path.join(REPO_ROOT, 'docs', 'adr');
const read = (file: string) => fs.readFileSync(file, 'utf8');
const records = fs
  .readdirSync(ADR_DIR)
  .filter((f) => /^\d{4}-[a-z0-9-]+\.md$/.test(f))
  .sort();

describe('CONTRIBUTING.md', () => {
  const text = read(path.join(REPO_ROOT, 'CONTRIBUTING.md'));

  test('every path it names exists', () => {
    expect(namedPaths(text, REPO_ROOT).length).toBeGreaterThan(40);
    expect(missingPaths(text)).toEqual([]);
  });

  test('the path check finds a moved file, a missing folder, a dead link and a glob that matches nothing', () => {
    const moved =
      'The map: `lib/app.ts`, `DataFlow/Batch`, `lambda/no-such-tool.ts`, `scripts/nowhere/`, `docs/runbooks/batch-*.md`, `docs/runbooks/queue-*.md`, [why](docs/adr/9999-none.md), `docs/runbooks/<name>.md`.';
    expect(missingPaths(moved)).toEqual([
      'lambda/no-such-tool.ts',
      'scripts/nowhere/',
      'docs/runbooks/queue-*.md',
      'docs/adr/9999-none.md',
    ]);
  });
});

describe('decision records', () => {
  test('there are records, each listed in the index', () => {
    const index = read(path.join(ADR_DIR, 'README.md'));
    expect(records.length).toBeGreaterThanOrEqual(8);
    expect(missingPaths(index, ADR_DIR)).toEqual([]);
    expect([...index.matchAll(/\]\((\d{4}-[a-z0-9-]+\.md)\)/g)].map((m) => m[1]).sort()).toEqual(records);
  });

  test.each(records)('%s: title, context, decision, consequences; short; every path it names exists', (file) => {
    const text = read(path.join(ADR_DIR, file));
    expect(text).toMatch(/^# \d{4}\. \S/);
    expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['Context', 'Decision', 'Consequences']);
    expect(text.trim().split('\n').length).toBeLessThanOrEqual(40);
    expect(missingPaths(text, ADR_DIR)).toEqual([]);
  });
});
