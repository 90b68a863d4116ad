/**
 * A quality-gate Lambda's dependencies over a filesystem lake holding one table's committed extract of zero rows
 * for `window`: the smallest input on which the handler runs end to end (report, metrics, lineage).
 */
import type { BatchWindow } from '../../lambda/batch/window';
import { extractManifestKey } from '../../lambda/batch/extract';
import { powertoolsBatchMetrics } from '../../lambda/batch/batch-metrics';
import type { QualityDeps } from '../../lambda/batch/handlers/quality';
import type { Powertools } from '../../lambda/shared/powertools';
import { FsLakeStore } from '../../lambda/shared/fs-lake-store';

/** Thresholds an empty window passes. */
export const EMPTY_WINDOW_THRESHOLDS = {
  completeness: 0.9,
  uniqueness: 0.9,
  validity: 0.9,
  referentialIntegrity: 0.9,
  minRowsPerWindow: 0,
  maxRowsPerWindow: 10,
};

export async function emptyExtractQualityDeps(lakeDir: string, window: BatchWindow, pt: Powertools): Promise<QualityDeps> {
  const store = new FsLakeStore(lakeDir);
  await store.put(
    'raw',
    extractManifestKey('customers', window),
    JSON.stringify({ stage: 'extract', entity: 'customers', window, rows: 0, files: [] }),
  );
  return { store, thresholds: EMPTY_WINDOW_THRESHOLDS, currencies: ['EUR'], metrics: powertoolsBatchMetrics(pt.metrics) };
}
