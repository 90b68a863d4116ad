/**
 * Stage manifests: what each batch stage (extract, quality gate, conform) publishes once its output for one table and
 * window is complete. A manifest is written LAST, after every file it lists, and lists exactly those files with their
 * row counts; the next stage reads exactly the manifest's files and nothing else, so parts a crashed attempt left
 * behind are never read (and the next complete run of the window deletes them). A stage deletes its manifest before
 * it writes anything, so an attempt that dies half-way leaves no manifest behind, never a stale one.
 *
 * Mirrored for the Glue job in glue-scripts/dataflow_glue/layout.py (test/batch/stage-manifest.test.ts checks both
 * agree). Documented in docs/lake-layout.md.
 */
import type { LakeZone } from './lake';
import { objectKey } from './lake-keys';

export type Stage = 'extract' | 'quality' | 'conform';

export interface ManifestFile {
  readonly zone: LakeZone;
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
}

export interface StageManifest {
  readonly stage: Stage;
  /** The table (extract, quality) or `conform`. */
  readonly entity: string;
  readonly window: { readonly start: string; readonly end: string };
  /** Rows the next stage reads: extracted rows (extract), staged rows (quality). */
  readonly rows: number;
  readonly files: readonly ManifestFile[];
}

/**
 * The manifest's key: next to the parts for extract (raw) and quality gate (staging), `oltp/<table>/dt=/hr=/<table>.manifest.json`;
 * the conform job's summary `manifests/conform/dt=/hr=/summary.json`.
 */
export function stageManifestKey(stage: Stage, entity: string, windowStart: string): string {
  const time = new Date(windowStart);
  if (stage === 'conform') return objectKey({ source: 'manifests', entity: 'conform', time }, 'summary.json');
  return objectKey({ source: 'oltp', entity, time }, `${entity}.manifest.json`);
}

/** The files of a manifest in one zone. */
export function manifestKeys(manifest: StageManifest, zone: LakeZone): string[] {
  return manifest.files.filter((f) => f.zone === zone).map((f) => f.key);
}

/** The conform job's summary, its stage manifest: per dataset the rows written and the COPY manifest listing its files. */
export interface ConformManifest {
  readonly stage: 'conform';
  readonly window: { readonly start: string; readonly end: string };
  readonly datasets: { readonly [dataset: string]: { readonly rows: number; readonly files: number; readonly manifest?: string } };
  /** The staging keys each dataset read (the quality gate's parts, the stream objects the window owns). */
  readonly inputs: { readonly [dataset: string]: readonly string[] };
}

/**
 * Stream objects are filed under their arrival hour; a window also reads objects of this many earlier hours that no
 * earlier window read (written late, e.g. by a processor running behind). It covers the processor's longest allowed
 * maximum record age (604,800 s = 168 h, lib/config/schema.ts) plus the hour being written.
 */
export const STREAM_LATE_HOURS = 169;
