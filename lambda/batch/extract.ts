/**
 * Incremental OLTP extract: the rows of one table whose version column lies in [window.start − overlap,
 * window.end), streamed with a server-side cursor into bounded gzipped NDJSON parts in the raw zone, then its stage
 * manifest (lambda/contracts/stage-manifest.ts) written last: the quality gate reads exactly the parts it lists. Keys depend
 * only on table and window; a rerun deletes the window's manifest first and, once its own manifest is written, every
 * part in the window's folder that manifest does not list (an earlier attempt's, e.g. one that crashed).
 *
 * Every value is rendered by Postgres as exact text (decimals as strings, timestamps as ISO-8601 UTC, dates as
 * YYYY-MM-DD); integers stay numbers. Referential integrity is checked against the source itself: each row
 * carries `_missing_refs` listing the referenced tables its foreign key does not exist in (omitted when none).
 */
import type { Client } from 'pg';
import Cursor from 'pg-cursor';
import { TABLE_SPECS, type ColumnSpec, type OltpTableName, type TableSpec } from '../contracts/table-specs';
import { partitionPrefix } from '../contracts/lake-keys';
import { stageManifestKey, type StageManifest } from '../contracts/stage-manifest';
import type { LakeStore } from '../contracts/lake';
import { NdjsonPartWriter, removeUnlisted } from './ndjson-parts';
import type { BatchWindow } from './window';

export interface ExtractOptions {
  readonly table: OltpTableName;
  readonly window: BatchWindow;
  /** Minutes before `window.start` re-read to catch late commits. */
  readonly overlapMinutes: number;
  /** Rows fetched per cursor read. @default 5000 */
  readonly fetchRows?: number;
  /** Rows per raw part. @default 50000 */
  readonly partRows?: number;
}

export interface ExtractManifest extends StageManifest {
  readonly stage: 'extract';
  readonly table: OltpTableName;
  /** The version-column range actually read: [from, to). */
  readonly range: { readonly from: string; readonly to: string };
}

/** Raw-zone folder of a table's extract for a window. */
export function rawFolder(table: string, window: BatchWindow): string {
  return partitionPrefix({ source: 'oltp', entity: table, time: new Date(window.start) });
}

/** Raw-zone key of the extract manifest. */
export function extractManifestKey(table: string, window: BatchWindow): string {
  return stageManifestKey('extract', table, window.start);
}

function selectExpr(column: ColumnSpec, alias: string): string {
  const src = column.derivedFrom ? `p.${column.derivedFrom.column}` : `t.${column.name}`;
  switch (column.type.kind) {
    case 'timestamp':
      return `to_char(${src}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ${alias}`;
    case 'date':
      return `to_char(${src}, 'YYYY-MM-DD') AS ${alias}`;
    case 'decimal':
    case 'bigint':
      return `${src}::text AS ${alias}`;
    default:
      return `${src} AS ${alias}`;
  }
}

/** The extract query for a table (parameters: $1 = from, $2 = to, both UTC timestamps). */
export function extractSql(spec: TableSpec): string {
  const version = spec.columns.find((c) => c.name === spec.versionColumn);
  if (!version) throw new Error(`table ${spec.name}: version column ${spec.versionColumn} is not a column`);
  const derived = spec.columns.filter((c) => c.derivedFrom);
  const parents = new Set(derived.map((c) => c.derivedFrom!.table));
  if (parents.size > 1) throw new Error(`table ${spec.name}: derived columns from more than one table are not supported`);
  const parent = derived[0]?.derivedFrom;
  const versionRef = version.derivedFrom ? `p.${version.derivedFrom.column}` : `t.${version.name}`;
  const from = parent
    ? `${spec.name} t JOIN ${parent.table} p ON ${parent.joinOn.map((c) => `p.${c} = t.${c}`).join(' AND ')}`
    : `${spec.name} t`;
  const refs = spec.references.map((ref, i) => {
    const cond = ref.columns.map((c, j) => `r${i}.${ref.refColumns[j]} = t.${c}`).join(' AND ');
    return `CASE WHEN EXISTS (SELECT 1 FROM ${ref.table} r${i} WHERE ${cond}) THEN NULL ELSE '${ref.table}' END`;
  });
  const cols = spec.columns.map((c) => selectExpr(c, c.name));
  if (refs.length > 0) cols.push(`array_remove(ARRAY[${refs.join(', ')}]::text[], NULL) AS _missing_refs`);
  const order = [versionRef, ...spec.primaryKey.map((k) => `t.${k}`)].join(', ');
  return `SELECT ${cols.join(', ')} FROM ${from} WHERE ${versionRef} >= $1::timestamp AND ${versionRef} < $2::timestamp ORDER BY ${order}`;
}

const pgTs = (iso: string) => iso.replace('T', ' ').replace('Z', '');

/** Extracts one table for one window into the raw zone; returns the manifest it wrote. */
export async function extractTable(client: Client, store: LakeStore, options: ExtractOptions): Promise<ExtractManifest> {
  const spec = TABLE_SPECS[options.table] as TableSpec;
  const from = new Date(Date.parse(options.window.start) - options.overlapMinutes * 60_000).toISOString();
  const to = options.window.end;
  const manifestKey = extractManifestKey(options.table, options.window);
  await store.delete('raw', [manifestKey]);

  const writer = new NdjsonPartWriter(store, 'raw', rawFolder(options.table, options.window), options.table, options.partRows);
  // One consistent snapshot for the whole table: rows committed while the cursor runs belong to the next window.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const cursor = client.query(new Cursor<Record<string, unknown>>(extractSql(spec), [pgTs(from), pgTs(to)]));
  try {
    for (;;) {
      const rows = await cursor.read(options.fetchRows ?? 5_000);
      if (rows.length === 0) break;
      for (const row of rows) {
        const missing = row._missing_refs as string[] | undefined;
        if (missing !== undefined && missing.length === 0) delete row._missing_refs;
        await writer.write(row);
      }
    }
  } finally {
    await cursor.close();
    await client.query('COMMIT');
  }
  const parts = await writer.close();
  const manifest: ExtractManifest = {
    stage: 'extract',
    entity: options.table,
    table: options.table,
    window: options.window,
    range: { from, to },
    rows: writer.rows,
    files: parts.map((p) => ({ zone: 'raw', ...p })),
  };
  await store.put('raw', manifestKey, JSON.stringify(manifest, null, 2), 'application/json');
  await removeUnlisted(store, 'raw', rawFolder(options.table, options.window), [manifestKey, ...parts.map((p) => p.key)]);
  return manifest;
}
