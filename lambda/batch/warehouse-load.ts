/**
 * Loads one warehouse table for one window from the conform job's output: reads the job's summary (a table with
 * no rows in the window is skipped, not an error), builds the warehouse's load batch for the table's COPY
 * manifest (stage → COPY … MANIFEST → latest per key → merge into bronze → drop stage) and runs it as one
 * transaction with the warehouse statement runner. How a load did not finish is named for the state machine:
 * `LoadFailed` (the warehouse rejected it: permanent, never retried), `LoadAborted`, `LoadTimedOut` (cancelled).
 */
import { WAREHOUSE_TABLE_SPECS, type TableSpec, type WarehouseTableName } from '../contracts/table-specs';
import type { LakeStore } from '../contracts/lake';
import { objectKey } from '../contracts/lake-keys';
import { stageManifestKey, type ConformManifest } from '../contracts/stage-manifest';
import { runStatements, StatementError, type PollOptions, type StatementRunner } from '../contracts/warehouse-statements';
import { buildLoadBatch, type LoadSource } from '../warehouse/load-sql';
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
  const name = `load-${table}-${loadId}`;
  const outcome = await runStatements(deps.runner, batch.statements, name, deps.poll).catch((err: unknown) => {
    throw err instanceof StatementError ? loadError(err) : err;
  });
  const rowsCopied = outcome.rowsPerStatement[copyIndex] ?? 0;
  if (rowsCopied !== entry.rows) {
    throw new Error(`load of ${table} ${window.start}: COPY loaded ${rowsCopied} rows, the conform job wrote ${entry.rows}`);
  }
  return { table, window, rowsLoaded: rowsCopied, skipped: false, statementId: outcome.statementId, polls: outcome.polls };
}

/** The error name the state machine sees for a load that did not finish. */
export class LoadError extends Error {
  constructor(name: 'LoadFailed' | 'LoadAborted' | 'LoadTimedOut', message: string) {
    super(message);
    this.name = name;
  }
}

function loadError(err: StatementError): LoadError {
  const where = `${err.detail ?? 'no error text'} (statement ${err.statementId})`;
  if (err.end === 'ABORTED') return new LoadError('LoadAborted', `load ${err.statementName} was aborted: ${where}`);
  if (err.end === 'TIMEOUT') return new LoadError('LoadTimedOut', `load ${err.statementName} ${where}`);
  return new LoadError('LoadFailed', `load ${err.statementName} failed in the warehouse: ${where}`);
}
