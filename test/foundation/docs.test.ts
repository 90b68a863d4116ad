import * as fs from 'node:fs';
import * as path from 'node:path';
import { REASONS } from '../../lambda/batch/row-schemas';
import { QUARANTINE_REASONS } from '../../lambda/contracts/events-reasons';
import { REPO_ROOT } from '../helpers/synth';

/** Docs say what the platform does; they stay in step with the code and do not narrate how it was built. */

const markdown = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? markdown(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));

/** The reason codes listed in the first column of a section's table (`| \`code\` | …`). */
export function tableCodes(doc: string, heading: string): string[] {
  const start = doc.indexOf(heading);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = doc.indexOf('\n## ', start + heading.length);
  const section = doc.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
}

/** Phrases that speak of how the project was built rather than what it does. */
export function buildHistory(text: string): string[] {
  return [...text.matchAll(/\b(issue \d+|the brief|the seeds?'?s?\b|seed DAG|this session|the review commit)/gi)].map((m) => m[0]);
}

describe('documentation', () => {
  const reasons = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'quarantine-reasons.md'), 'utf8');

  test('every quarantine reason code is documented, in code order, and nothing else', () => {
    expect(tableCodes(reasons, '## Stream records')).toEqual([...QUARANTINE_REASONS]);
    expect(tableCodes(reasons, '## OLTP rows')).toEqual([...REASONS]);
  });

  test('the reason check notices a missing code', () => {
    const without = reasons.replace(/^\| `empty_update` \|.*\n/m, '');
    expect(tableCodes(without, '## Stream records')).not.toEqual([...QUARANTINE_REASONS]);
  });

  test('no document narrates how the platform was built', () => {
    const files = [
      ...markdown(path.join(REPO_ROOT, 'docs')),
      ...['README.md', 'CONTRIBUTING.md', 'bench/RESULTS.md'].map((f) => path.join(REPO_ROOT, f)),
    ];
    for (const file of files)
      expect({ file: path.relative(REPO_ROOT, file), found: buildHistory(fs.readFileSync(file, 'utf8')) }).toEqual({
        file: path.relative(REPO_ROOT, file),
        found: [],
      });
  });

  test('the history check finds such phrases', () => {
    expect(buildHistory('As the brief says, issue 5 added the seed DAG after the review commit.')).toEqual([
      'the brief',
      'issue 5',
      'the seed',
      'the review commit',
    ]);
  });
});
