import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEnvironmentConfig } from '../../../lib/config';
import { createEventContracts, type StreamName } from '../../../lambda/contracts/events';
import { ANOMALY_TYPES, type AnomalyType } from '../../../lambda/contracts/events-anomalies';
import type { LakeStore, LakeZone } from '../../../lambda/contracts/lake';
import { generateRecords, type GeneratedRecord } from '../../generator';
import { createStreamHandler } from '../../../lambda/stream-processor/handler';
import type { BatchReport } from '../../../lambda/stream-processor/ports';
import { settingsFromConfig, streamNameOf } from '../../../lib/config/stream-settings';
import { kinesisEventOf, sequenceNumber } from '../../generator/kinesis-event';
import { FsLakeStore } from '../../../lambda/shared/fs-lake-store';
import { distinctLines } from '../../../lambda/shared/stream-record-identity';
import { DirectoryDocumentStore } from './document-stores';

/**
 * The local stream pass of `make demo`: generates labelled events, runs them through the real stream handler in
 * Kinesis-shaped batches (per stream and shard, in sequence order, batch size from the environment config) with the
 * lake as a local directory in the same key layout, then reconciles what landed and scores anomaly detection.
 */

export interface StreamPassOptions {
  /** @default 50_000 */
  readonly count?: number;
  /** @default 7 */
  readonly seed?: number;
  /** Environment whose config (thresholds, batch size, currencies) is used. @default 'dev' */
  readonly env?: string;
  /** Simulated shards per stream. @default 2 */
  readonly shards?: number;
  /** Repository root; the lake is `<root>/.local/lake`, figures `<root>/.local/demo/stream.json`. @default cwd */
  readonly root?: string;
  /** Arrival time of the first event (events follow at the generator's rate). @default the generator's default */
  readonly startMs?: number;
}

export interface TypeScore {
  readonly injected: number;
  readonly found: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
}

export interface StreamPassResult {
  readonly recordsIn: number;
  readonly valid: number;
  readonly quarantined: number;
  readonly quarantinedByReason: Record<string, number>;
  /** in === valid + quarantined, counted from the files written. */
  readonly reconciled: boolean;
  /** Quarantined records whose reason differs from the injected defect's label. */
  readonly reasonMismatches: number;
  /** Injected defects that were not quarantined, plus valid records that were. */
  readonly misclassified: number;
  readonly anomalies: Record<AnomalyType, TypeScore>;
  readonly batches: number;
  readonly alertsPublished: number;
  readonly redeliveries: number;
  readonly files: { readonly staging: number; readonly quarantine: number; readonly anomalies: number };
  readonly lakeDir: string;
  readonly figuresFile: string;
  readonly seconds: number;
}

/** Kinesis-style shard choice: MD5 of the partition key over the hash-key space, split evenly. */
export function shardOf(partitionKey: string, shards: number): number {
  const top = createHash('md5').update(partitionKey).digest().readUInt32BE(0);
  return Math.floor((top / 2 ** 32) * shards);
}

export async function runStreamPass(options: StreamPassOptions = {}): Promise<StreamPassResult> {
  const started = Date.now();
  const root = options.root ?? process.cwd();
  const config = loadEnvironmentConfig(options.env ?? 'dev');
  const settings = settingsFromConfig(config);
  const lakeDir = path.join(root, '.local', 'lake');
  const figuresFile = path.join(root, '.local', 'demo', 'stream.json');
  for (const dir of [
    ['staging', 'stream'],
    ['staging', 'anomalies'],
    ['staging', 'alerts'],
    ['quarantine', 'stream'],
  ]) {
    fs.rmSync(path.join(lakeDir, ...dir), { recursive: true, force: true });
  }

  const records = generateRecords({
    seed: options.seed ?? 7,
    count: options.count ?? 50_000,
    ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
    currencies: config.streaming.currencies,
    targets: config.anomaly,
  });
  const shards = options.shards ?? 2;
  const queues = new Map<string, GeneratedRecord[]>();
  for (const r of records) {
    const id = `${r.stream}|${shardOf(r.partitionKey, shards)}`;
    if (!queues.has(id)) queues.set(id, []);
    queues.get(id)?.push(r);
  }

  const reports: BatchReport[] = [];
  let alertsPublished = 0;
  const lake = new FsLakeStore(lakeDir);
  const handler = createStreamHandler({
    settings,
    contracts: createEventContracts({ currencies: settings.currencies }),
    lake,
    alerts: { publish: async () => void alertsPublished++ },
    outboxStore: new DirectoryDocumentStore(path.join(lakeDir, 'staging')),
    metrics: { record: (r) => void reports.push(r) },
    logger: { info: () => undefined, warn: () => undefined, error: (m, e) => console.error(m, e) },
  });

  // Each shard is read in order, `batchSize` records at a time; after a partial failure the shard resumes from the
  // lowest reported sequence number, as Lambda does.
  let batches = 0;
  let redeliveries = 0;
  for (const [id, queue] of queues) {
    const [stream, shard] = id.split('|') as [StreamName, string];
    const shardId = `shardId-${shard.padStart(12, '0')}`;
    let position = 0;
    while (position < queue.length) {
      const chunk = queue.slice(position, position + config.streaming.batchSize);
      const event = kinesisEventOf(chunk, streamNameOf(config, stream), shardId, position);
      const { batchItemFailures } = await handler(event);
      batches++;
      if (batchItemFailures.length) {
        redeliveries++;
        const first = event.Records.findIndex((r) => r.kinesis.sequenceNumber === batchItemFailures[0].itemIdentifier);
        position += Math.max(first, 0);
      } else {
        position += chunk.length;
      }
    }
  }

  // Reconcile from the files, not from the handler's own counts.
  const staging = await ndjsonObjects(lake, 'staging', 'stream/');
  // Quarantine is counted as triage counts it: one per stream, shard and sequence number.
  const quarantine = await ndjsonObjects(lake, 'quarantine', 'stream/');
  const quarantined = distinctLines('quarantine', quarantine.lines);
  const anomalyLines = await ndjsonObjects(lake, 'staging', 'anomalies/');
  const quarantinedByReason: Record<string, number> = {};
  const labelByPosition = new Map<string, GeneratedRecord>();
  for (const [id, queue] of queues) {
    const shard = `shardId-${id.split('|')[1].padStart(12, '0')}`;
    queue.forEach((r, i) => labelByPosition.set(`${r.stream}|${shard}|${sequenceNumber(i)}`, r));
  }
  let reasonMismatches = 0;
  let misclassified = 0;
  for (const q of quarantined) {
    const line = JSON.parse(q) as { reason: string; stream: string; shard_id: string; sequence_number: string };
    quarantinedByReason[line.reason] = (quarantinedByReason[line.reason] ?? 0) + 1;
    const label = labelByPosition.get(`${line.stream}|${line.shard_id}|${line.sequence_number}`)?.label;
    if (!label || label.kind !== 'defect') misclassified++;
    else if (label.reason !== line.reason) reasonMismatches++;
  }
  const validIds = new Set<string>();
  for (const s of staging.lines) validIds.add((JSON.parse(s) as { event_id: string }).event_id);
  for (const r of records) if (r.label.kind === 'defect' && r.eventId && validIds.has(r.eventId)) misclassified++;

  const injected = new Map<AnomalyType, Set<string>>(ANOMALY_TYPES.map((t) => [t, new Set()]));
  for (const r of records) if (r.label.kind === 'valid' && r.label.anomaly && r.eventId) injected.get(r.label.anomaly)?.add(r.eventId);
  const found = new Map<AnomalyType, Set<string>>(ANOMALY_TYPES.map((t) => [t, new Set()]));
  for (const a of anomalyLines.lines) {
    const line = JSON.parse(a) as { anomaly_type: AnomalyType; event_id: string };
    found.get(line.anomaly_type)?.add(line.event_id);
  }
  const anomalies = {} as Record<AnomalyType, TypeScore>;
  for (const t of ANOMALY_TYPES) {
    const inj = injected.get(t) as Set<string>;
    const fnd = found.get(t) as Set<string>;
    let tp = 0;
    for (const id of fnd) if (inj.has(id)) tp++;
    anomalies[t] = { injected: inj.size, found: fnd.size, truePositives: tp, precision: ratio(tp, fnd.size), recall: ratio(tp, inj.size) };
  }

  const result: StreamPassResult = {
    recordsIn: records.length,
    valid: staging.lines.length,
    quarantined: quarantined.length,
    quarantinedByReason: sortKeys(quarantinedByReason),
    reconciled: records.length === staging.lines.length + quarantined.length && validIds.size === staging.lines.length,
    reasonMismatches,
    misclassified,
    anomalies,
    batches,
    alertsPublished,
    redeliveries,
    files: { staging: staging.files, quarantine: quarantine.files, anomalies: anomalyLines.files },
    lakeDir,
    figuresFile,
    seconds: (Date.now() - started) / 1000,
  };
  fs.mkdirSync(path.dirname(figuresFile), { recursive: true });
  fs.writeFileSync(figuresFile, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

export function printStreamPass(r: StreamPassResult, log: (line: string) => void = console.log): void {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  log(
    `stream pass: ${r.recordsIn.toLocaleString('en-US')} records in ${r.batches} Kinesis-shaped batches through the stream handler (${r.seconds.toFixed(1)} s)`,
  );
  log(`  in ${r.recordsIn} = valid ${r.valid} + quarantined ${r.quarantined}: ${r.reconciled ? 'reconciled exactly' : 'MISMATCH'}`);
  log(
    `  quarantined by reason: ${Object.entries(r.quarantinedByReason)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  log(
    `  quarantine reasons matching the injected defect: ${r.quarantined - r.reasonMismatches}/${r.quarantined}; misclassified records: ${r.misclassified}`,
  );
  log('  anomaly type      injected  found  precision  recall');
  for (const [t, s] of Object.entries(r.anomalies)) {
    log(
      `  ${t.padEnd(16)} ${String(s.injected).padStart(9)} ${String(s.found).padStart(6)} ${pct(s.precision).padStart(10)} ${pct(s.recall).padStart(7)}`,
    );
  }
  log(`  anomaly summaries published: ${r.alertsPublished} (one per batch and shard-hour with new anomalies, through the alert outbox)`);
  log(
    `  files: ${r.files.staging} staging, ${r.files.quarantine} quarantine, ${r.files.anomalies} anomaly objects under ${path.relative(process.cwd(), r.lakeDir) || r.lakeDir}/`,
  );
  log(`  figures: ${path.relative(process.cwd(), r.figuresFile) || r.figuresFile}`);
}

/** Demo targets: exact reconciliation; recall ≥ 0.95 and precision ≥ 0.90 for every injected anomaly type. */
export function streamPassMeetsTargets(r: StreamPassResult): boolean {
  return r.reconciled && r.misclassified === 0 && Object.values(r.anomalies).every((s) => s.recall >= 0.95 && s.precision >= 0.9);
}

/** The `make demo` step: run, print, and fail the demo if a target is missed. */
export async function demoStreamPass(options: StreamPassOptions = {}): Promise<StreamPassResult> {
  console.log('\n== streaming: local stream pass ==');
  const result = await runStreamPass(options);
  printStreamPass(result);
  if (!streamPassMeetsTargets(result)) {
    console.error('stream pass: a target was missed (reconciliation, or precision/recall per anomaly type)');
    process.exitCode = 1;
  }
  return result;
}

/** The NDJSON objects under a prefix of a zone: how many, and their lines (objects in key order). */
export async function ndjsonObjects(lake: LakeStore, zone: LakeZone, prefix: string): Promise<{ files: number; lines: string[] }> {
  const keys = (await lake.list(zone, prefix)).filter((k) => k.endsWith('.ndjson'));
  const lines: string[] = [];
  for (const key of keys) {
    for (const line of (await lake.get(zone, key))?.toString('utf8').split('\n') ?? []) if (line) lines.push(line);
  }
  return { files: keys.length, lines };
}

function ratio(a: number, b: number): number {
  return b === 0 ? (a === 0 ? 1 : 0) : Math.round((a / b) * 10_000) / 10_000;
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

if (require.main === module) {
  demoStreamPass({ count: process.argv[2] ? Number(process.argv[2]) : undefined }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
