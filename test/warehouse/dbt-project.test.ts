import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/synth';

/** Static checks of the dbt project's conventions (the build itself runs in `make warehouse-test`). */
const DBT = path.join(REPO_ROOT, 'dbt');
const sqlFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sqlFiles(path.join(dir, e.name)) : e.name.endsWith('.sql') ? [path.join(dir, e.name)] : []));

interface ModelYaml {
  name: string;
  description?: string;
  columns?: { name: string; description?: string; data_type?: string }[];
}

describe('dbt project conventions', () => {
  const martsYaml = parse(fs.readFileSync(path.join(DBT, 'models', 'marts', '_marts.yml'), 'utf8')) as { models: ModelYaml[] };
  const gold = fs
    .readdirSync(path.join(DBT, 'models', 'marts'))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''));

  test('every gold model is documented with a typed, described column list (its enforced contract)', () => {
    expect(martsYaml.models.map((m) => m.name).sort()).toEqual([...gold].sort());
    for (const m of martsYaml.models) {
      expect({ model: m.name, described: (m.description ?? '').length > 10 }).toEqual({ model: m.name, described: true });
      expect(m.columns?.length).toBeGreaterThan(0);
      for (const c of m.columns ?? []) {
        expect({ column: `${m.name}.${c.name}`, ok: (c.description ?? '').length > 3 && (c.data_type ?? '').length > 0 }).toEqual({
          column: `${m.name}.${c.name}`,
          ok: true,
        });
      }
    }
    expect(fs.readFileSync(path.join(DBT, 'dbt_project.yml'), 'utf8')).toMatch(/marts:[\s\S]*\+contract:\s*\n\s*enforced: true/);
  });

  test('models use only dbt.* cross-database macros, no engine-specific SQL', () => {
    const forbidden = [
      /::/,
      /\bregexp_\w+\(/i,
      /\bhugeint\b/i,
      /\bstring_agg\(/i,
      /(?<!dbt\.)\b(listagg|datediff|dateadd|date_trunc)\(/i,
      /\bgetdate\(/i,
      /\bdbt_utils\./,
    ];
    for (const file of [...sqlFiles(path.join(DBT, 'models')), ...sqlFiles(path.join(DBT, 'tests'))]) {
      const sql = fs.readFileSync(file, 'utf8');
      for (const re of forbidden)
        expect({ file: path.relative(DBT, file), pattern: String(re), found: re.test(sql) }).toEqual({
          file: path.relative(DBT, file),
          pattern: String(re),
          found: false,
        });
    }
  });

  test('Redshift-only configs (dist/sort) are gated on the target type', () => {
    for (const file of sqlFiles(path.join(DBT, 'models'))) {
      const sql = fs.readFileSync(file, 'utf8');
      for (const m of sql.matchAll(/\b(dist|sort)=([^\n]+)/g))
        expect({ file, config: m[0], gated: /target\.type == 'redshift'/.test(m[2]) }).toEqual({ file, config: m[0], gated: true });
    }
  });

  test('profiles: local DuckDB is the default target; Redshift targets use IAM and hold no secret', () => {
    const profiles = parse(fs.readFileSync(path.join(DBT, 'profiles.yml'), 'utf8'), { merge: true }).dataflow; // dbt (PyYAML) resolves `<<` merge keys
    expect(profiles.target).toContain("'local'");
    expect(profiles.outputs.local.type).toBe('duckdb');
    for (const env of ['dev', 'staging', 'prod']) {
      expect(profiles.outputs[env]).toMatchObject({ type: 'redshift', method: 'iam' });
      expect(profiles.outputs[env].password).toBeUndefined();
    }
  });
});
