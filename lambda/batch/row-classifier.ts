/**
 * The quality gate's verdict on each row: the row schema's own, then the quarantine cascade — a valid row whose
 * parent (order → customer, item → order / product) is quarantined in the same window is quarantined too
 * (`parent_quarantined`). Parents' verdicts are re-derived from their raw extracts with the same validator, so each
 * table's gate stays independent of the others.
 */
import { TABLE_SPECS, type OltpTableName, type TableSpec } from '../contracts/table-specs';
import { manifestKeys } from '../contracts/stage-manifest';
import { extractManifestKey, type ExtractManifest } from './extract';
import type { LakeStore } from '../contracts/lake';
import { readParts } from './ndjson-parts';
import { RowValidator, type RowVerdict } from './row-schemas';
import type { BatchWindow } from './window';

/** The extract's manifest of a table and window; undefined when the table was not extracted. */
export async function readExtractManifest(store: LakeStore, table: string, window: BatchWindow): Promise<ExtractManifest | undefined> {
  const body = await store.get('raw', extractManifestKey(table, window));
  return body === undefined ? undefined : (JSON.parse(body.toString('utf8')) as ExtractManifest);
}

/** A row's value of a (possibly composite) key, as the gate compares keys. */
export const keyOf = (row: Record<string, unknown>, columns: readonly string[]) => columns.map((c) => String(row[c])).join('|');

type Classify = (record: unknown) => RowVerdict;

/**
 * The gate's verdict on one row of `table`: its own validation, then `parent_quarantined` for each reference to a row
 * the parent table's gate quarantines in this window (transitively: an item of an order whose customer is
 * quarantined is quarantined too). `memo` shares the parents' key sets within one gate run.
 */
export async function classifier(
  store: LakeStore,
  table: OltpTableName,
  window: BatchWindow,
  currencies: readonly string[],
  memo: Map<string, Promise<Set<string>>>,
): Promise<Classify> {
  const validator = new RowValidator(table, { currencies });
  const parents: { columns: readonly string[]; table: string; keys: Set<string> }[] = [];
  for (const ref of (TABLE_SPECS[table] as TableSpec).references) {
    const id = `${ref.table}(${ref.refColumns.join(',')})`;
    let keys = memo.get(id);
    if (!keys) memo.set(id, (keys = quarantinedKeys(store, ref.table as OltpTableName, ref.refColumns, window, currencies, memo)));
    const set = await keys;
    if (set.size > 0) parents.push({ columns: ref.columns, table: ref.table, keys: set });
  }
  return (record) => {
    const verdict = validator.validate(record);
    if (!verdict.ok || parents.length === 0) return verdict;
    const row = record as Record<string, unknown>;
    const issues = [];
    for (const p of parents) {
      const key = keyOf(row, p.columns);
      if (p.keys.has(key))
        issues.push({
          path: p.columns.join(','),
          code: 'parent_quarantined',
          message: `${p.table} row ${key} is quarantined in this window`,
        });
    }
    return issues.length === 0 ? verdict : { ok: false, reason: 'parent_quarantined', issues };
  };
}

/** `columns` values of the rows of `table`'s extract for the window that its gate quarantines (none without an extract). */
async function quarantinedKeys(
  store: LakeStore,
  table: OltpTableName,
  columns: readonly string[],
  window: BatchWindow,
  currencies: readonly string[],
  memo: Map<string, Promise<Set<string>>>,
): Promise<Set<string>> {
  const keys = new Set<string>();
  const manifest = await readExtractManifest(store, table, window);
  if (manifest === undefined) return keys;
  const classify = await classifier(store, table, window, currencies, memo);
  for await (const record of readParts(store, 'raw', manifestKeys(manifest, 'raw'))) {
    if (!classify(record).ok) keys.add(keyOf((record ?? {}) as Record<string, unknown>, columns));
  }
  return keys;
}
