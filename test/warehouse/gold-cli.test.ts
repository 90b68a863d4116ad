import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFixture } from '../../scripts/local/warehouse/fixture';
import { REPO_ROOT, runScript } from '../helpers/cli';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gold-cli-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * `make gold` with the install steps pointed at scratch paths: a stamp that appears, or a fake `npm` that runs, means
 * something was installed.
 */
function makeGold(vars: Record<string, string>) {
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\ntouch ${tmp}/npm-ran\nexit 1\n`, { mode: 0o755 });
  const args = Object.entries({ ...vars, NODE_STAMP: `${tmp}/node-stamp`, VENV: `${tmp}/venv`, PYTHON: 'false' }).map(
    ([k, v]) => `${k}=${v}`,
  );
  const r = spawnSync('make', ['--no-print-directory', '-C', REPO_ROOT, 'gold', ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  const installed = ['node-stamp', 'venv', 'npm-ran'].filter((f) => fs.existsSync(path.join(tmp, f)));
  return { code: r.status, stderr: r.stderr, installed };
}

describe('make gold variables', () => {
  it('a shell payload in AS_OF is a value, refused before any install', () => {
    const r = makeGold({ SOURCE: tmp, AS_OF: `" || touch ${tmp}/pwned; echo "`, OUT: `${tmp}/out` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('AS_OF must be a date YYYY-MM-DD (got "" || touch');
    expect(fs.existsSync(path.join(tmp, 'pwned'))).toBe(false);
    expect(r.installed).toEqual([]);
  });

  it('make syntax in a variable is not evaluated', () => {
    const r = makeGold({ SOURCE: tmp, AS_OF: `$(shell touch ${tmp}/pwned)`, OUT: `${tmp}/out` });
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(tmp, 'pwned'))).toBe(false);
  });

  it.each([
    [{ AS_OF: '2026-06-30', OUT: 'x' }, /SOURCE, AS_OF and OUT are required/],
    [{ SOURCE: '/nonexistent/dir', AS_OF: '2026-06-30', OUT: 'x' }, /SOURCE "\/nonexistent\/dir" is not a folder/],
  ])('%j is refused before any install', (vars, message) => {
    const r = makeGold(vars);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.installed).toEqual([]);
  });
});

describe('gold CLI (subprocess)', () => {
  it('--help prints usage and exits 0; unknown flags and bad dates exit 2 naming them', async () => {
    const help = await runScript('scripts/gold.ts', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: make gold/);
    const typo = await runScript('scripts/gold.ts', ['--sorce', tmp, '--as-of', '2026-06-30', '--out', tmp]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Unknown option '--sorce'/);
    const date = await runScript('scripts/gold.ts', ['--source', tmp, '--as-of', '2026-02-30', '--out', tmp]);
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--as-of: AS_OF must be a date/);
  });

  it('lists every bad row (quoting and orphans) with file, row and column before building anything', async () => {
    const src = path.join(tmp, 'src');
    writeFixture(src, { customers: 20, products: 8 });
    const customers = fs.readFileSync(path.join(src, 'customers.csv'), 'utf8').split('\n');
    customers[1] = customers[1].replace(/^(C\d+),[^,]*,/, '$1,"ann"e@example.com,');
    fs.writeFileSync(path.join(src, 'customers.csv'), customers.join('\n'));
    fs.appendFileSync(path.join(src, 'orders.csv'), 'O9999999999,C99999999,2026-06-30 10:00:00,paid,USD,2026-06-30 10:00:00\n');
    const duckdb = path.join(tmp, 'w.duckdb');
    const r = await runScript('scripts/gold.ts', [
      '--source',
      src,
      '--as-of',
      '2026-06-30',
      '--out',
      path.join(tmp, 'out'),
      '--duckdb',
      duckdb,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Invalid source data \(2 problems\)/);
    expect(r.stderr).toMatch(/customers\.csv row 1, column email: text after the closing quote/);
    expect(r.stderr).toMatch(/orders\.csv row \d+, column customer_id: "C99999999" has no row in customers\.csv/);
    expect(fs.existsSync(duckdb)).toBe(false);
  });
});
