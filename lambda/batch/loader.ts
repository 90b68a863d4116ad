/**
 * Loads one warehouse table for one window from the conform job's output: reads the job's summary (a table with
 * no rows in the window is skipped, not an error), builds the warehouse's load batch for the table's COPY
 * manifest and runs it with the bounded poll loop of load.ts.
 */
import { WAREHOUSE_TABLE_SPECS, type TableSpec, type WarehouseTableName } from '../contracts/table-specs';
import { objectKey } from '../contracts/lake-keys';
import { stageManifestKey, type ConformManifest } from '../contracts/stage-manifest';
import { buildLoadBatch, type LoadSource } from '../warehouse/load-sql';
import type { LakeStore } from '../contracts/lake';
import { runLoad, type PollOptions, type StatementRunner } from './load';
import { windowId, type BatchWindow } from './window';

export interface CopyManifest {
  readonly entries: readonly { readonly url: string; readonly mandatory: boolean; readonly meta: { readonly content_length: number } }[];
}

export function conformSummaryKey(window: BatchWindow): string {
  return stageManifestKey('conform', 'conform', window.start);
}

export function copyManifestKey(table: string, window: BatchWindow): string {
  return objectKey({ source: 'manifests', entity: table, time: new Date(window.start) }, 'manifest.json');
}

export interface LoadDeps {
  readonly store: LakeStore;
  readonly runner: StatementRunner;
  /** Where the stage rows come from: COPY of the manifest (AWS) or its Parquet files (local). */
  readonly sourceFor: (manifestKey: string, manifest: CopyManifest) => LoadSource;
  readonly poll?: PollOptions;
}

export interface LoadResult {
  readonly table: WarehouseTableName;
  readonly window: BatchWindow;
  readonly rowsLoaded: number;
  readonly skipped: boolean;
  readonly statementId?: string;
  readonly polls?: number;
}

export async function loadWindowTable(deps: LoadDeps, table: WarehouseTableName, window: BatchWindow): Promise<LoadResult> {
  const spec = WAREHOUSE_TABLE_SPECS[table] as TableSpec;
  if (!spec) throw new Error(`unknown warehouse table ${String(table)}`);
  const summaryBody = await deps.store.get('staging', conformSummaryKey(window));
  if (summaryBody === undefined) throw new Error(`no conform summary for window ${window.start}: the conform job has not run for it`);
  const summary = JSON.parse(summaryBody.toString('utf8')) as ConformManifest;
  const entry = summary.datasets?.[table];
  if (entry === undefined) throw new Error(`conform summary of ${window.start} has no entry for ${table}`);
  if (entry.rows === 0) return { table, window, rowsLoaded: 0, skipped: true };

  const manifestKey = copyManifestKey(table, window);
  const manifestBody = await deps.store.get('staging', manifestKey);
  if (manifestBody === undefined) throw new Error(`conform summary lists ${entry.rows} ${table} rows but ${manifestKey} is missing`);
  const manifest = JSON.parse(manifestBody.toString('utf8')) as CopyManifest;
  const loadId = windowId(window).toLowerCase();
  const batch = buildLoadBatch({ spec, loadId, source: deps.sourceFor(manifestKey, manifest) });
  const copyIndex = batch.statements.findIndex((s) => s.startsWith('COPY ') || s.startsWith(`INSERT INTO ${batch.stageTable}`));
  if (copyIndex < 0) throw new Error(`load batch of ${table} has no COPY statement`);
  const outcome = await runLoad(deps.runner, batch.statements, `load-${table}-${loadId}`, copyIndex, deps.poll);
  if (outcome.rowsCopied !== entry.rows) {
    throw new Error(`load of ${table} ${window.start}: COPY loaded ${outcome.rowsCopied} rows, the conform job wrote ${entry.rows}`);
  }
  return { table, window, rowsLoaded: outcome.rowsCopied, skipped: false, statementId: outcome.statementId, polls: outcome.polls };
}
