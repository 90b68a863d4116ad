import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { WAREHOUSE_TABLE_SPECS } from '../../lambda/contracts/table-specs';
import { renderDbtSources } from '../../scripts/local/warehouse/dbt-sources';
import { generatedFiles, renderCustomerRulesMacro, REPO_ROOT, staleFiles } from '../../scripts/local/warehouse/codegen';

describe('generated warehouse files', () => {
  test('are up to date with the table specs and dbt/customer_rules.yml (run `make warehouse-codegen` if this fails)', () => {
    expect(staleFiles()).toEqual([]);
  });

  test('the dbt sources list every warehouse table with its columns in spec order', () => {
    const sources = parse(renderDbtSources(Object.values(WAREHOUSE_TABLE_SPECS)));
    const tables = sources.sources[0].tables as { name: string; columns: { name: string; data_type: string }[] }[];
    expect(tables.map((t) => t.name)).toEqual(Object.keys(WAREHOUSE_TABLE_SPECS));
    for (const t of tables) {
      const spec = WAREHOUSE_TABLE_SPECS[t.name as keyof typeof WAREHOUSE_TABLE_SPECS];
      expect(t.columns.map((c) => c.name)).toEqual(spec.columns.map((c) => c.name));
    }
    expect(tables[0].columns[0]).toMatchObject({ name: 'customer_id', data_type: 'varchar(32)', data_tests: ['not_null'] });
  });

  test('the customer-rules macro carries exactly the rules of dbt/customer_rules.yml', () => {
    const yamlText = fs.readFileSync(path.join(REPO_ROOT, 'dbt', 'customer_rules.yml'), 'utf8');
    const macro = renderCustomerRulesMacro(yamlText);
    const json = /fromjson\('(.*)'\)/.exec(macro)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual(parse(yamlText));
    expect(JSON.parse(json).value_tier.rules[0]).toEqual({ above: 10000, value: 'high_value' });
  });

  test('a change to a source of truth makes the generated file stale', () => {
    const macro = generatedFiles().find((f) => f.path.endsWith('customer_rules_generated.sql'));
    const edited = renderCustomerRulesMacro(
      fs.readFileSync(path.join(REPO_ROOT, 'dbt', 'customer_rules.yml'), 'utf8').replace('above: 10000', 'above: 20000'),
    );
    expect(edited).not.toEqual(macro?.content);
  });
});
