import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH_SETTINGS, transactionsBatch } from '../../generator/stream-fixture';
import { createEventContracts } from '../../../lambda/contracts/events';
import { FsLakeStore } from '../../../lambda/shared/fs-lake-store';
import { lineIdentity } from '../../../lambda/shared/stream-record-identity';
import { createStreamHandler } from '../../../lambda/stream-processor/handler';
import type { StreamLake } from '../../../lambda/stream-processor/ports';
import { DirectoryDocumentStore } from '../stream/document-stores';
import { account, alertedEntries, readStreamLake, type Readers } from './accounting';
import { FaultRun, type FaultPlan, type PutFate } from './simulator';
import type { FaultRow, FaultScenario } from './types';

/**
 * Stream fault scenarios: generated transactions (valid events, defects, anomalies) through the real stream handler,
 * a local directory lake and the alert outbox, under a simulated event source mapping with injected faults
 * (`simulator.ts`); then counted as people would count them (`accounting.ts`).
 */

export interface StreamScenarioSpec {
  readonly name: string;
  /** A fresh plan per run (plans may keep state). */
  readonly plan: () => FaultPlan;
  /** @default 2_000 */
  readonly records?: number;
  /** Retries before the mapping skips a batch. @default MAX_RETRIES */
  readonly maxRetries?: number;
}

export interface StreamScenarioOptions {
  /** The lake is `<root>/.local/faults/<scenario>/`. @default cwd */
  readonly root?: string;
  /** @default PLATFORM_READERS */
  readonly readers?: Readers;
  /** Wraps the lake (to break it on purpose). */
  readonly lake?: (lake: StreamLake) => StreamLake;
}

export interface StreamScenarioResult extends FaultRow {
  readonly invocations: number;
  /** Records the mapping skipped to the failure queue. */
  readonly skipped: number;
  /** Distinct anomaly entries (sequence number, type) announced. */
  readonly alerted: number;
  /** Distinct anomaly entries in the lake never announced. */
  readonly unannounced: number;
}

export async function runStreamScenario(spec: StreamScenarioSpec, options: StreamScenarioOptions = {}): Promise<StreamScenarioResult> {
  const lakeDir = path.join(options.root ?? process.cwd(), '.local', 'faults', spec.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  fs.rmSync(lakeDir, { recursive: true, force: true });
  const records = transactionsBatch(spec.records ?? 2_000).Records;
  const run = new FaultRun(spec.plan(), spec.maxRetries);
  const lake = new FsLakeStore(lakeDir);
  const handler = createStreamHandler({
    settings: BENCH_SETTINGS,
    contracts: createEventContracts({ currencies: BENCH_SETTINGS.currencies }),
    lake: run.lake(options.lake ? options.lake(lake) : lake),
    outboxStore: run.store(new DirectoryDocumentStore(path.join(lakeDir, 'staging'))),
    alerts: run.publisher(),
    metrics: { record: () => undefined },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    outbox: { retryDelayMs: 0, now: () => run.clock },
    now: () => run.clock,
    sweepEveryMs: 0,
  });
  await run.consume(handler, records);
  // Later invocations (time passing) sweep the outbox until nothing is pending.
  const outbox = new DirectoryDocumentStore(path.join(lakeDir, 'staging'));
  for (let i = 0; i < 20 && (await outbox.list('alerts/pending/', 1)).length; i++) await run.invoke(handler, []);

  const lines = await readStreamLake(lake);
  const row = account({
    scenario: spec.name,
    inputs: records.map((r) => `${r.eventID.slice(0, r.eventID.indexOf(':'))}|${r.kinesis.sequenceNumber}`),
    lake: lines,
    messages: run.messages,
    readers: options.readers,
  });
  const alerted = new Set(alertedEntries(run.messages));
  const inLake = new Set(lines.anomalies.map((l) => lineIdentity('anomalies', l).split('|')));
  let unannounced = 0;
  for (const [type, , seq] of inLake) if (!alerted.has(`${seq}|${type}`)) unannounced++;
  return { ...row, invocations: run.invocations, skipped: run.skipped, alerted: alerted.size, unannounced };
}

/** Fates by PUT count within the first invocations; everything else succeeds. */
const onPuts =
  (fates: Readonly<Record<number, PutFate>>, invocations = 1): FaultPlan['put'] =>
  ({ n, invocation }) =>
    invocation <= invocations ? (fates[n] ?? 'ok') : 'ok';

/** A small deterministic generator (scenarios must give the same table on every run). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export const STREAM_SCENARIO_SPECS: readonly StreamScenarioSpec[] = [
  { name: 'stream: no fault', plan: () => ({}) },
  { name: 'stream: SNS outage', plan: () => ({ snsUp: ({ invocation }) => invocation > 12 }) },
  {
    name: 'stream: ambiguous PUT',
    plan: () => ({ put: ({ key, n, invocation }) => (invocation <= 2 && key.startsWith('stream/') && n % 4 === 2 ? 'ambiguous' : 'ok') }),
  },
  { name: 'stream: die after write, bisect', plan: () => ({ put: ({ n }) => (n === 6 || n === 40 ? 'die' : 'ok') }) },
  {
    name: 'stream: redelivery with more records',
    plan: () => ({ put: onPuts({ 2: 'fail' }), batchSize: ({ n }) => (n === 1 ? 400 : 1_000) }),
  },
  {
    name: 'stream: redelivery with fewer records',
    plan: () => ({ put: onPuts({ 3: 'ambiguous', 5: 'fail' }), batchSize: ({ retry }) => (retry ? 250 : 1_000) }),
  },
  {
    name: 'stream: failed rollback',
    plan: () => {
      // The second write fails, and so does every rollback (rewrite or delete) of that invocation.
      const written = new Set<string>();
      return {
        put: ({ key, n, invocation }) => {
          if (invocation !== 1) return 'ok';
          if (n === 2 || written.has(key)) return 'fail';
          written.add(key);
          return 'ok';
        },
        deleteOk: ({ invocation }) => invocation !== 1,
      };
    },
  },
  {
    name: 'stream: random mix',
    maxRetries: 10,
    plan: () => {
      const rand = seeded(20261129);
      return {
        put: ({ invocation }) => {
          if (invocation > 8) return 'ok';
          const x = rand();
          return x < 0.04 ? 'fail' : x < 0.08 ? 'ambiguous' : x < 0.1 ? 'die' : 'ok';
        },
        deleteOk: () => rand() > 0.2,
        snsUp: () => rand() > 0.4,
        batchSize: () => 100 + Math.floor(rand() * 900),
        split: (length) => 1 + Math.floor(rand() * (length - 1)),
      };
    },
  },
];

export function streamScenariosIn(root: string): FaultScenario[] {
  return STREAM_SCENARIO_SPECS.map((spec) => ({ name: spec.name, area: 'stream', run: () => runStreamScenario(spec, { root }) }));
}

export const streamScenarios: FaultScenario[] = streamScenariosIn(process.cwd());
