import type { TableSpec } from '../contracts/table-specs';
import { bronzeTableDdl } from '../contracts/bronze-ddl';
import { columnDefinition, columnOrder, identifier, literal, qualified, sqlType, type SqlDialect } from '../contracts/sql-types';

/**
 * The idempotent bronze load: stage → COPY → keep the latest version per key → merge into bronze → drop stage.
 *
 * The statements are meant for ONE transaction: on Redshift pass `statements` as the `Sqls` of a Data API
 * `BatchExecuteStatement` (which runs them in a single transaction and rolls all back on the first failure);
 * locally they run between BEGIN and COMMIT. Re-running a load with the same files leaves bronze unchanged:
 *
 * - within the load, the latest version per key wins (greatest version column, then the greatest row
 *   fingerprint — an md5 over every column — as a deterministic tie-break);
 * - a bronze row is replaced only by a strictly newer version (or the same version with a greater fingerprint);
 *   an older version arriving late is ignored, and an identical row changes nothing;
 * - for tables versioned by their parent (the version column has `derivedFrom`, e.g. order_items by the order's
 *   updated_at) the parent is the unit of change: a newer parent version replaces all of the parent's rows (lines
 *   dropped from an order disappear), and rows of an older parent version are never inserted.
 */

/** Where the stage table's rows come from. */
export type LoadSource =
  /** Redshift: `COPY … FORMAT AS PARQUET MANIFEST` (Parquet columns map by position, in spec column order). */
  | { readonly kind: 'copy-manifest'; readonly manifestUrl: string; readonly iamRole: string }
  /** DuckDB: the manifest's Parquet files read locally (positional, like COPY). */
  | { readonly kind: 'local-parquet'; readonly files: readonly string[] }
  /** DuckDB: a validated CSV with a header row of spec column names (by name, cast to the spec types). */
  | { readonly kind: 'local-csv'; readonly file: string };

export interface LoadRequest {
  readonly spec: TableSpec;
  readonly source: LoadSource;
  /** Unique per load (e.g. `20260630t14`): names the stage tables. Lower-case letters, digits, underscores. */
  readonly loadId: string;
}

export interface LoadBatch {
  /** Run in order, in one transaction. */
  readonly statements: readonly string[];
  /** The stage table (dropped by the last statements). */
  readonly stageTable: string;
}

const LOAD_ID = /^[a-z0-9_]{1,40}$/;
const IAM_ROLE = /^(default|arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+)$/;
const MANIFEST_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/;

/** The statements of one load, for the dialect the source implies. */
export function buildLoadBatch(request: LoadRequest): LoadBatch {
  const { spec, source, loadId } = request;
  if (!LOAD_ID.test(loadId)) throw new Error(`loadId "${loadId}" must match ${LOAD_ID}`);
  const dialect: SqlDialect = source.kind === 'copy-manifest' ? 'redshift' : 'duckdb';
  const stage = qualified('stage', `${spec.name}__${loadId}`);
  const latest = qualified('stage', `${spec.name}__${loadId}_latest`);
  return {
    stageTable: stage,
    statements: [
      bronzeTableDdl(spec, dialect),
      `CREATE TABLE ${stage} (\n${spec.columns.map((c) => `  ${columnDefinition(c)}`).join(',\n')}\n)`,
      fillStage(spec, stage, source),
      latestPerKey(spec, stage, latest),
      ...mergeIntoBronze(spec, latest),
      `DROP TABLE ${latest}`,
      `DROP TABLE ${stage}`,
    ],
  };
}

function fillStage(spec: TableSpec, stage: string, source: LoadSource): string {
  switch (source.kind) {
    case 'copy-manifest':
      if (!MANIFEST_URL.test(source.manifestUrl)) throw new Error(`manifestUrl "${source.manifestUrl}" must be an s3:// URL`);
      if (!IAM_ROLE.test(source.iamRole)) throw new Error(`iamRole "${source.iamRole}" must be "default" or an IAM role ARN`);
      return [
        `COPY ${stage}`,
        `FROM ${literal(source.manifestUrl)}`,
        `IAM_ROLE ${source.iamRole === 'default' ? 'default' : literal(source.iamRole)}`,
        'FORMAT AS PARQUET',
        'MANIFEST',
      ].join('\n');
    case 'local-parquet':
      if (source.files.length === 0) throw new Error(`load of ${spec.name}: the manifest lists no files`);
      // Like COPY, read exactly the files' columns: no dt/hr columns from the lake's `key=value` folders.
      return `INSERT INTO ${stage}\nSELECT * FROM read_parquet([${source.files.map(literal).join(', ')}], hive_partitioning = false)`;
    case 'local-csv': {
      const casts = spec.columns.map((c) => `  CAST(NULLIF(${identifier(c.name)}, '') AS ${sqlType(c.type)}) AS ${c.name}`);
      return `INSERT INTO ${stage}\nSELECT\n${casts.join(',\n')}\nFROM read_csv(${literal(source.file)}, header = true, all_varchar = true, quote = '"', escape = '"')`;
    }
  }
}

/** md5 over every column in spec order (NULL distinguishable from ''): the deterministic tie-break. */
export function rowFingerprint(spec: TableSpec, alias: string): string {
  const parts = spec.columns.map((c) => `COALESCE(CAST(${alias}.${identifier(c.name)} AS VARCHAR), '<null>')`);
  return `MD5(${parts.join(" || '|' || ")})`;
}

/** The grouping that versions rows: the parent key for derived versions, else the primary key. */
function versionGroup(spec: TableSpec): readonly string[] {
  const version = spec.columns.find((c) => c.name === spec.versionColumn);
  if (!version) throw new Error(`table ${spec.name}: version column ${spec.versionColumn} is not a column`);
  return version.derivedFrom?.joinOn ?? spec.primaryKey;
}

function latestPerKey(spec: TableSpec, stage: string, latest: string): string {
  const cols = columnOrder(spec);
  const pk = spec.primaryKey.map(identifier).join(', ');
  const v = identifier(spec.versionColumn);
  const group = versionGroup(spec).map(identifier).join(', ');
  return [
    `CREATE TABLE ${latest} AS`,
    `SELECT ${cols.join(', ')}`,
    'FROM (',
    `  SELECT s.*,`,
    `    ROW_NUMBER() OVER (PARTITION BY ${pk} ORDER BY ${v} DESC, ${rowFingerprint(spec, 's')} DESC) AS _rn,`,
    `    MAX(${v}) OVER (PARTITION BY ${group}) AS _group_version`,
    `  FROM ${stage} s`,
    ') ranked',
    `WHERE _rn = 1 AND ${v} = _group_version`,
  ].join('\n');
}

function mergeIntoBronze(spec: TableSpec, latest: string): string[] {
  const bronze = qualified('bronze', spec.name);
  const target = identifier(spec.name); // DELETE … USING refers to the target by its bare name
  const cols = columnOrder(spec);
  const v = identifier(spec.versionColumn);
  const pk = spec.primaryKey.map(identifier);
  const group = versionGroup(spec).map(identifier);
  const derived = group.join() !== pk.join();
  const on = (a: string, b: string, keys: readonly string[]) => keys.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
  const statements: string[] = [];
  if (derived) {
    statements.push(
      [
        `DELETE FROM ${bronze}`,
        `USING (SELECT ${group.join(', ')}, MAX(${v}) AS ${v} FROM ${latest} GROUP BY ${group.join(', ')}) g`,
        `WHERE ${on(target, 'g', group)}`,
        `  AND ${target}.${v} < g.${v}`,
      ].join('\n'),
    );
  }
  statements.push(
    [
      `DELETE FROM ${bronze}`,
      `USING ${latest} s`,
      `WHERE ${on(target, 's', pk)}`,
      `  AND (s.${v} > ${target}.${v}`,
      `    OR (s.${v} = ${target}.${v} AND ${rowFingerprint(spec, 's')} > ${rowFingerprint(spec, target)}))`,
    ].join('\n'),
  );
  const olderParent = derived ? `\n  AND NOT EXISTS (SELECT 1 FROM ${bronze} p WHERE ${on('p', 's', group)} AND p.${v} > s.${v})` : '';
  statements.push(
    [
      `INSERT INTO ${bronze} (${cols.join(', ')})`,
      `SELECT ${cols.map((c) => `s.${c}`).join(', ')}`,
      `FROM ${latest} s`,
      `WHERE NOT EXISTS (SELECT 1 FROM ${bronze} b WHERE ${on('b', 's', pk)})${olderParent}`,
    ].join('\n'),
  );
  return statements;
}
