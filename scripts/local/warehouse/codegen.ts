/**
 * Generates the warehouse files that must never drift from their single source:
 * - dbt/models/staging/_sources.yml      ← lambda/contracts/table-specs.ts (bronze columns, types, descriptions)
 * - dbt/macros/customer_rules_generated.sql ← dbt/customer_rules.yml (value tier, lifecycle, RFM thresholds)
 *
 *   node --require ts-node/register/transpile-only scripts/local/warehouse/codegen.ts [--check]
 *
 * `--check` writes nothing and exits 1 naming every stale file (test/warehouse/codegen.test.ts does the same).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { WAREHOUSE_TABLE_SPECS } from '../../../lambda/contracts/table-specs';
import { GENERATED_HEADER, renderDbtSources } from './dbt-sources';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CUSTOMER_RULES_FILE = path.join(REPO_ROOT, 'dbt', 'customer_rules.yml');

export interface GeneratedFile {
  /** Repository-relative path. */
  readonly path: string;
  readonly content: string;
}

/** dbt macro `customer_rules()` returning the parsed rules (dbt cannot read arbitrary files itself). */
export function renderCustomerRulesMacro(rulesYaml: string): string {
  const rules: unknown = parse(rulesYaml);
  if (rules === null || typeof rules !== 'object') throw new Error('dbt/customer_rules.yml must be a mapping');
  const json = JSON.stringify(rules).replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return [
    `{#- ${GENERATED_HEADER('dbt/customer_rules.yml').slice(2)} -#}`,
    '{% macro customer_rules() -%}',
    `  {{ return(fromjson('${json}')) }}`,
    '{%- endmacro %}',
    '',
  ].join('\n');
}

export function generatedFiles(): GeneratedFile[] {
  return [
    { path: 'dbt/models/staging/_sources.yml', content: renderDbtSources(Object.values(WAREHOUSE_TABLE_SPECS)) },
    { path: 'dbt/macros/customer_rules_generated.sql', content: renderCustomerRulesMacro(fs.readFileSync(CUSTOMER_RULES_FILE, 'utf8')) },
  ];
}

/** Files whose content on disk differs from what the generator produces. */
export function staleFiles(): string[] {
  return generatedFiles()
    .filter((f) => {
      const file = path.join(REPO_ROOT, f.path);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== f.content;
    })
    .map((f) => f.path);
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length > 0) {
      console.error(`Stale generated files (run make warehouse-codegen): ${stale.join(', ')}`);
      process.exit(1);
    }
    console.log('warehouse codegen: all generated files are up to date');
  } else {
    for (const f of generatedFiles()) {
      fs.writeFileSync(path.join(REPO_ROOT, f.path), f.content);
      console.log(`wrote ${f.path}`);
    }
  }
}
