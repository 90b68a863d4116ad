import type { ColumnType, TableSpec } from '../../../lambda/contracts/table-specs';
import { sqlType } from '../../../lambda/contracts/sql-types';

/**
 * Renders dbt's `sources:` for the bronze schema from the table specs (written to
 * dbt/models/staging/_sources.yml by `make warehouse-codegen`). Strings are emitted as JSON strings, which are
 * valid YAML double-quoted scalars, so descriptions need no escaping rules of their own.
 */
export const GENERATED_HEADER = (from: string) =>
  `# GENERATED from ${from} by scripts/local/warehouse/codegen.ts (make warehouse-codegen). Do not edit by hand.`;

const q = (s: string) => JSON.stringify(s);

function dataType(type: ColumnType): string {
  return sqlType(type).toLowerCase();
}

export function renderDbtSources(specs: readonly TableSpec[]): string {
  const lines = [
    GENERATED_HEADER('lambda/contracts/table-specs.ts'),
    'version: 2',
    '',
    'sources:',
    '  - name: bronze',
    '    schema: bronze',
    `    description: ${q('Tables loaded by the idempotent COPY/merge (lambda/warehouse/load-sql.ts): the latest version per key.')}`,
    '    tables:',
  ];
  for (const spec of specs) {
    lines.push(
      `      - name: ${spec.name}`,
      `        description: ${q(spec.description)}`,
      '        config:',
      '          meta:',
      `            primary_key: [${spec.primaryKey.join(', ')}]`,
      `            version_column: ${spec.versionColumn}`,
      '        columns:',
    );
    for (const c of spec.columns) {
      lines.push(
        `          - name: ${c.name}`,
        `            description: ${q(c.description)}`,
        `            data_type: ${q(dataType(c.type))}`,
      );
      if (!c.nullable) lines.push('            data_tests: [not_null]');
    }
  }
  return `${lines.join('\n')}\n`;
}
