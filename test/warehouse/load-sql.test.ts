import { STREAM_TABLE_SPECS, TABLE_SPECS, WAREHOUSE_TABLE_SPECS } from '../../lambda/contracts/table-specs';
import { bronzeTableDdl, schemaDdl } from '../../lambda/contracts/bronze-ddl';
import { buildLoadBatch } from '../../lambda/warehouse/load-sql';

const redshift = (table: keyof typeof WAREHOUSE_TABLE_SPECS) =>
  buildLoadBatch({
    spec: WAREHOUSE_TABLE_SPECS[table],
    loadId: '20260630t14',
    source: {
      kind: 'copy-manifest',
      manifestUrl: `s3://dataflow-dev-staging-111111111111-eu-west-1/manifests/${table}/dt=2026-06-30/hr=14/manifest.json`,
      iamRole: 'default',
    },
  });

describe('load SQL (Redshift)', () => {
  test.each(Object.keys(WAREHOUSE_TABLE_SPECS) as (keyof typeof WAREHOUSE_TABLE_SPECS)[])('%s load batch', (table) => {
    expect(redshift(table).statements.join(';\n\n')).toMatchSnapshot();
  });

  test('the batch is stage → COPY → latest per key → merge → drop stage, and fits one BatchExecuteStatement', () => {
    const { statements, stageTable } = redshift('customers');
    expect(stageTable).toBe('stage.customers__20260630t14');
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS bronze\.customers/);
    expect(statements[1]).toMatch(/^CREATE TABLE stage\.customers__20260630t14 \(/);
    expect(statements[2]).toMatch(
      /^COPY stage\.customers__20260630t14\nFROM 's3:.*manifest\.json'\nIAM_ROLE default\nFORMAT AS PARQUET\nMANIFEST$/,
    );
    expect(statements.slice(-2)).toEqual(['DROP TABLE stage.customers__20260630t14_latest', 'DROP TABLE stage.customers__20260630t14']);
    expect(statements.length).toBeLessThanOrEqual(40); // BatchExecuteStatement limit
    expect(statements.join('\n')).not.toMatch(/\b(BEGIN|COMMIT)\b/); // the Data API batch is the transaction
  });

  test('an explicit role ARN is quoted; COPY columns follow the spec order in the stage table', () => {
    const { statements } = buildLoadBatch({
      spec: TABLE_SPECS.orders,
      loadId: 'x1',
      source: { kind: 'copy-manifest', manifestUrl: 's3://bucket-name/m.json', iamRole: 'arn:aws:iam::123456789012:role/copy' },
    });
    expect(statements[2]).toContain("IAM_ROLE 'arn:aws:iam::123456789012:role/copy'");
    const stageCols = [...statements[1].matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(stageCols).toEqual(TABLE_SPECS.orders.columns.map((c) => c.name));
  });

  test('refuses unsafe inputs', () => {
    const spec = TABLE_SPECS.customers;
    const copy = (manifestUrl: string, iamRole: string) => ({ kind: 'copy-manifest' as const, manifestUrl, iamRole });
    expect(() => buildLoadBatch({ spec, loadId: 'a;drop', source: copy('s3://b-1/m', 'default') })).toThrow(/loadId/);
    expect(() => buildLoadBatch({ spec, loadId: 'a', source: copy("s3://b-1/m' x", 'default') })).toThrow(/manifestUrl/);
    expect(() => buildLoadBatch({ spec, loadId: 'a', source: copy('s3://b-1/m', "x' y") })).toThrow(/iamRole/);
    expect(() => buildLoadBatch({ spec, loadId: 'a', source: { kind: 'local-parquet', files: [] } })).toThrow(/no files/);
  });
});

describe('bronze DDL', () => {
  test('Redshift declares key, distribution and sort; DuckDB gets the plain table', () => {
    expect(bronzeTableDdl(TABLE_SPECS.order_items, 'redshift')).toMatchSnapshot();
    const local = bronzeTableDdl(STREAM_TABLE_SPECS.clickstream_events, 'duckdb');
    expect(local).not.toMatch(/PRIMARY KEY|DISTKEY|SORTKEY/);
    expect(local).toContain('cart_value DECIMAL(12,2),');
    expect(local).toContain('event_id VARCHAR(36) NOT NULL,');
  });

  test('schemas', () => {
    expect(schemaDdl()).toEqual(['bronze', 'silver', 'gold', 'stage'].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`));
  });
});
