/**
 * The dataset quality gate of one table and window: reads the raw extract part by part, validates every row
 * (row-schemas.ts), routes valid rows to staging and invalid rows to quarantine with their reason, measures the
 * dataset expectations (completeness, uniqueness, validity, referential integrity, row-count bounds) against the
 * configured thresholds, and writes a JSON report. Every extracted row lands in exactly one of staging or
 * quarantine: extracted = staged + quarantined. It reads exactly the parts the extract's manifest lists; when the gate
 * passes it publishes its own stage manifest last (the staged and quarantined parts with their rows), which is all
 * the conform job reads, and then deletes parts of the window's folders that manifest does not list.
 *
 * Quarantine cascades within a window: a valid row whose parent (order → customer, item → order / product) is
 * quarantined in the same window is quarantined too (`parent_quarantined`), so the warehouse never receives a child
 * without its parent. Each gate re-derives its parents' verdicts from their raw extracts with the same validator (all
 * extracts finish before any gate starts), so gates stay independent and can run in parallel.
 */
import type { BatchMetricRecord } from '../contracts/metrics';
import { TABLE_SPECS, type OltpTableName, type TableSpec } from '../contracts/table-specs';
import { objectKey, partitionPrefix } from '../contracts/lake-keys';
import { manifestKeys, stageManifestKey, type ManifestFile, type StageManifest } from '../contracts/stage-manifest';
import type { LakeStore } from '../contracts/lake';
import { NdjsonPartWriter, readParts, removeUnlisted, type PartRef } from './ndjson-parts';
import { REASONS, type Reason } from './row-schemas';
import { classifier, keyOf, readExtractManifest } from './row-classifier';
import type { BatchWindow } from './window';

export interface QualityThresholds {
  readonly completeness: number;
  readonly uniqueness: number;
  readonly validity: number;
  readonly referentialIntegrity: number;
  readonly minRowsPerWindow: number;
  readonly maxRowsPerWindow: number;
}

export interface QualityGateOptions {
  readonly table: OltpTableName;
  readonly window: BatchWindow;
  readonly thresholds: QualityThresholds;
  readonly currencies: readonly string[];
  /** Rows per output part. @default 50000 */
  readonly partRows?: number;
}

export interface Expectation {
  readonly name: 'completeness' | 'uniqueness' | 'validity' | 'referential_integrity' | 'row_count';
  readonly observed: number;
  /** `>= min` for ratios; `[min, max]` for the row count. */
  readonly min: number;
  readonly max?: number;
  readonly passed: boolean;
}

export interface QualityReport {
  readonly table: OltpTableName;
  readonly window: BatchWindow;
  readonly passed: boolean;
  /** 0–100: mean of the four ratio expectations. */
  readonly score: number;
  readonly rows: { readonly extracted: number; readonly staged: number; readonly quarantined: number };
  readonly quarantinedByReason: Readonly<Partial<Record<Reason, number>>>;
  readonly columnCompleteness: Readonly<Record<string, number>>;
  readonly expectations: readonly Expectation[];
  /** Up to 5 sample issues per reason, for triage. */
  readonly samples: Readonly<Partial<Record<Reason, readonly { key: string; issues: readonly { path: string; message: string }[] }[]>>>;
  readonly outputs: { readonly staging: readonly string[]; readonly quarantine: readonly string[] };
  readonly reportKey: string;
}

export function qualityReportKey(table: string, window: BatchWindow): string {
  return objectKey({ source: 'quality', entity: table, time: new Date(window.start) }, 'report.json');
}

export function stagingFolder(table: string, window: BatchWindow): string {
  return partitionPrefix({ source: 'oltp', entity: table, time: new Date(window.start) });
}

/** Staging key of the gate's manifest (written only when the gate passes). */
export function qualityManifestKey(table: string, window: BatchWindow): string {
  return stageManifestKey('quality', table, window.start);
}

const ratio = (good: number, total: number) => (total === 0 ? 1 : good / total);
/** Issue codes that are not about a value's type or domain (validity counts every other code). */
const NOT_VALIDITY = new Set(['missing_required', 'orphan_reference', 'parent_quarantined']);
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Runs the gate; never throws on bad data (the caller decides what a failed report means). */
export async function runQualityGate(store: LakeStore, options: QualityGateOptions): Promise<QualityReport> {
  const { table, window, thresholds } = options;
  const spec = TABLE_SPECS[table] as TableSpec;
  const manifest = await readExtractManifest(store, table, window);
  if (manifest === undefined) throw new Error(`no extract manifest for ${table} ${window.start}: run the extract first`);
  const reportKey = qualityReportKey(table, window);
  const manifestKey = qualityManifestKey(table, window);
  await store.delete('staging', [manifestKey]);

  const classify = await classifier(store, table, window, options.currencies, new Map());
  const time = new Date(window.start);
  const staged = new NdjsonPartWriter(store, 'staging', stagingFolder(table, window), table, options.partRows);
  const quarantine = new Map<Reason, NdjsonPartWriter>();
  const byReason: Partial<Record<Reason, number>> = {};
  const samples: Partial<Record<Reason, { key: string; issues: { path: string; message: string }[] }[]>> = {};
  const keys = new Set<string>();
  const nonNull: Record<string, number> = Object.fromEntries(spec.columns.map((c) => [c.name, 0]));
  let rows = 0;
  let complete = 0;
  let typedAndInDomain = 0;
  let referenced = 0;

  for await (const record of readParts(store, 'raw', manifestKeys(manifest, 'raw'))) {
    rows += 1;
    const row = (record ?? {}) as Record<string, unknown>;
    const key = keyOf(row, spec.primaryKey);
    keys.add(key);
    for (const c of spec.columns) {
      const v = row[c.name];
      if (v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')) nonNull[c.name] += 1;
    }
    const verdict = classify(record);
    if (verdict.ok) {
      complete += 1;
      typedAndInDomain += 1;
      referenced += 1;
      await staged.write(record);
      continue;
    }
    const codes = new Set(verdict.issues.map((i) => i.code));
    if (!codes.has('missing_required')) complete += 1;
    if (verdict.issues.every((i) => NOT_VALIDITY.has(i.code))) typedAndInDomain += 1;
    if (!codes.has('orphan_reference') && !codes.has('parent_quarantined')) referenced += 1;
    byReason[verdict.reason] = (byReason[verdict.reason] ?? 0) + 1;
    const list = (samples[verdict.reason] ??= []);
    if (list.length < 5) list.push({ key, issues: verdict.issues.map((i) => ({ path: i.path, message: i.message })) });
    let writer = quarantine.get(verdict.reason);
    if (!writer) {
      writer = new NdjsonPartWriter(
        store,
        'quarantine',
        partitionPrefix({ source: 'oltp', entity: table, time, reason: verdict.reason }),
        table,
        options.partRows,
      );
      quarantine.set(verdict.reason, writer);
    }
    await writer.write({ reason: verdict.reason, issues: verdict.issues, table, window, row: record });
  }

  const stagedParts = await staged.close();
  const quarantineParts: PartRef[] = [];
  for (const w of quarantine.values()) quarantineParts.push(...(await w.close()));
  const quarantined = Object.values(byReason).reduce((a, b) => a + (b ?? 0), 0);

  const ratios = {
    completeness: ratio(complete, rows),
    uniqueness: ratio(keys.size, rows),
    validity: ratio(typedAndInDomain, rows),
    referential_integrity: ratio(referenced, rows),
  };
  const expectations: Expectation[] = [
    {
      name: 'completeness',
      observed: round(ratios.completeness),
      min: thresholds.completeness,
      passed: ratios.completeness >= thresholds.completeness,
    },
    {
      name: 'uniqueness',
      observed: round(ratios.uniqueness),
      min: thresholds.uniqueness,
      passed: ratios.uniqueness >= thresholds.uniqueness,
    },
    { name: 'validity', observed: round(ratios.validity), min: thresholds.validity, passed: ratios.validity >= thresholds.validity },
    {
      name: 'referential_integrity',
      observed: round(ratios.referential_integrity),
      min: thresholds.referentialIntegrity,
      passed: ratios.referential_integrity >= thresholds.referentialIntegrity,
    },
    {
      name: 'row_count',
      observed: rows,
      min: thresholds.minRowsPerWindow,
      max: thresholds.maxRowsPerWindow,
      passed: rows >= thresholds.minRowsPerWindow && rows <= thresholds.maxRowsPerWindow,
    },
  ];
  const score = round((100 * Object.values(ratios).reduce((a, b) => a + b, 0)) / 4);
  const report: QualityReport = {
    table,
    window,
    passed: expectations.every((e) => e.passed),
    score,
    rows: { extracted: rows, staged: staged.rows, quarantined },
    quarantinedByReason: byReason,
    columnCompleteness: Object.fromEntries(Object.entries(nonNull).map(([c, n]) => [c, round(ratio(n, rows))])),
    expectations,
    samples,
    outputs: { staging: stagedParts.map((p) => p.key), quarantine: quarantineParts.map((p) => p.key) },
    reportKey,
  };
  if (rows !== manifest.rows) throw new Error(`extract manifest of ${table} says ${manifest.rows} rows but its parts hold ${rows}`);
  if (staged.rows + quarantined !== rows)
    throw new Error(`quality gate lost rows: ${rows} in, ${staged.rows} staged, ${quarantined} quarantined`);
  await store.put('staging', reportKey, JSON.stringify(report, null, 2), 'application/json');
  if (report.passed) {
    const files: ManifestFile[] = [
      ...stagedParts.map((p) => ({ zone: 'staging' as const, ...p })),
      ...quarantineParts.map((p) => ({ zone: 'quarantine' as const, ...p })),
    ];
    const published: StageManifest = { stage: 'quality', entity: table, window, rows: staged.rows, files };
    await store.put('staging', manifestKey, JSON.stringify(published, null, 2), 'application/json');
    await removeUnlisted(store, 'staging', stagingFolder(table, window), [manifestKey, ...report.outputs.staging]);
    for (const reason of REASONS) {
      const folder = partitionPrefix({ source: 'oltp', entity: table, time, reason });
      await removeUnlisted(store, 'quarantine', folder, report.outputs.quarantine);
    }
  }
  return report;
}

/** Raised (by name) so the state machine can route a failed gate to its notification. */
export class QualityGateFailed extends Error {
  constructor(report: QualityReport) {
    const failed = report.expectations
      .filter((e) => !e.passed)
      .map((e) => `${e.name} ${e.observed} (min ${e.min}${e.max !== undefined ? `, max ${e.max}` : ''})`);
    super(`quality gate failed for ${report.table} window ${report.window.start}: ${failed.join('; ')}; report ${report.reportKey}`);
    this.name = 'QualityGateFailed';
  }
}

/** The metrics of a report: QualityScore and row counts of the dataset. */
export function qualityMetrics(report: QualityReport): BatchMetricRecord {
  const { extracted, staged, quarantined } = report.rows;
  return {
    dimensions: { Dataset: report.table },
    values: { QualityScore: report.score, RowsExtracted: extracted, RowsStaged: staged, RowsQuarantined: quarantined },
  };
}
