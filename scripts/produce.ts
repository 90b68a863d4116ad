import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { streamNameOf } from '../lib/config/stream-settings';
import { SOURCES, STREAM_NAMES, SYNTHETIC_SOURCE, type StreamName } from '../lambda/contracts/events';
import { streamRecords } from './generator';
import {
  COMMON_OPTIONS,
  COMMON_USAGE,
  confirmWrite,
  formatDuration,
  numberFlag,
  parseCli,
  Progress,
  resolveEnvironment,
  runCli,
  UsageError,
} from './cli';

/**
 * Producer CLI for the platform team: sends generated events (with the generator's default defect and anomaly rates)
 * to a deployed stream. Every event it sends carries `source: "synthetic"` so it can be told apart and is left out
 * of the warehouse (dbt staging).
 *
 * PutRecords in batches within the Kinesis limits (≤ 500 records, ≤ 5 MiB, ≤ 1 MiB per record); partially failed
 * records (throttling) are retried with exponential backoff and jitter. Prints progress every few seconds and a
 * summary (sent / failed / retried).
 */

export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface SendStats {
  sent: number;
  failed: number;
  retried: number;
}

export interface SendOptions {
  /** @default 5 */
  readonly maxAttempts?: number;
  /** First backoff (doubles per attempt, full jitter). @default 100 */
  readonly baseDelayMs?: number;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Splits entries into PutRecords calls within the record-count and payload limits. */
export function chunkEntries(entries: readonly PutRecordsRequestEntry[]): PutRecordsRequestEntry[][] {
  const chunks: PutRecordsRequestEntry[][] = [];
  let current: PutRecordsRequestEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = (e.Data?.length ?? 0) + Buffer.byteLength(e.PartitionKey ?? '');
    if (size > MAX_RECORD_BYTES) throw new Error(`record of ${size} bytes exceeds the 1 MiB Kinesis record limit`);
    if (current.length === MAX_RECORDS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Puts every entry, retrying only the failed ones; never resends a record Kinesis accepted. */
export async function putAll(
  client: KinesisClient,
  streamName: string,
  entries: readonly PutRecordsRequestEntry[],
  options: SendOptions = {},
): Promise<SendStats> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const stats: SendStats = { sent: 0, failed: 0, retried: 0 };
  for (const chunk of chunkEntries(entries)) {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let failedEntries: PutRecordsRequestEntry[];
      try {
        const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
        const results = out.Records ?? [];
        failedEntries = pending.filter((_, i) => results[i]?.ErrorCode !== undefined || results[i] === undefined);
      } catch (err) {
        const name = (err as Error).name;
        if (!/Throttl|ProvisionedThroughputExceeded|ServiceUnavailable|InternalFailure|TimeoutError|LimitExceeded/.test(name)) throw err;
        failedEntries = pending;
      }
      stats.sent += pending.length - failedEntries.length;
      if (failedEntries.length === 0) break;
      if (attempt >= maxAttempts) {
        stats.failed += failedEntries.length;
        break;
      }
      stats.retried += failedEntries.length;
      await sleep(Math.random() * base * 2 ** (attempt - 1));
      pending = failedEntries;
    }
  }
  return stats;
}

export const USAGE = `usage: npm run produce -- --stream <${STREAM_NAMES.join('|')}> [options]

Sends generated events (source "synthetic", with injected defects and anomalies) to a deployed stream.

  --stream <name>            stream to produce to (required)
  --rate <n>                 records per second, 1–100000 (default 200)
  --duration <s>             seconds to run, 1–86400 (default 60)
  --seed <n>                 generator seed (default: from the clock)
  --defect-rate <f>          share of records turned into defects, 0–1 (default 0.05)
  --progress-seconds <s>     progress line interval (default 5)
${COMMON_USAGE}`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  stream: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  seed: { type: 'string' },
  'defect-rate': { type: 'string' },
  'progress-seconds': { type: 'string' },
} as const;

export interface ProduceArgs {
  readonly help: boolean;
  readonly env: string;
  readonly context: readonly string[];
  readonly yes: boolean;
  readonly stream: StreamName;
  readonly rate: number;
  readonly duration: number;
  readonly seed: number;
  readonly defectRate: number;
  readonly progressSeconds: number;
}

export function parseArgs(argv: readonly string[]): ProduceArgs {
  const v = parseCli(argv, OPTIONS);
  const help = Boolean(v.help);
  const stream = v.stream;
  if (!help && stream === undefined) throw new UsageError(`--stream is required (${STREAM_NAMES.join(', ')})`);
  if (stream !== undefined && !(STREAM_NAMES as readonly string[]).includes(stream))
    throw new UsageError(`--stream must be one of ${STREAM_NAMES.join(', ')} (got "${stream}")`);
  return {
    help,
    env: v.env ?? 'dev',
    context: v.context ?? [],
    yes: Boolean(v.yes),
    stream: (stream ?? 'transactions') as StreamName,
    rate: numberFlag('rate', v.rate, 200, 1, 100_000, true),
    duration: numberFlag('duration', v.duration, 60, 1, 86_400, true),
    seed: numberFlag('seed', v.seed, Date.now() % 1_000_000, 0, 2 ** 32 - 1, true),
    defectRate: numberFlag('defect-rate', v['defect-rate'], 0.05, 0, 1),
    progressSeconds: numberFlag('progress-seconds', v['progress-seconds'], 5, 1, 3_600),
  };
}

const REAL_SOURCE = new RegExp(`"source":"(?:${SOURCES.join('|')})"`);
/** Replaces a generated event's real `source` with `synthetic` (defects with a bad or missing source keep theirs). */
export function markSynthetic(data: Buffer): Buffer {
  const text = data.toString('utf8');
  const marked = text.replace(REAL_SOURCE, `"source":"${SYNTHETIC_SOURCE}"`);
  return marked === text ? data : Buffer.from(marked, 'utf8');
}

/** One progress line: rate, sent, failed, retried and time left. */
export function progressLine(total: SendStats, elapsedMs: number, planned: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? total.sent / seconds : 0;
  const left = planned - total.sent - total.failed;
  return `  ${formatDuration(seconds)}: sent ${total.sent}/${planned} (${rate.toFixed(0)}/s), failed ${total.failed}, retried ${total.retried}, ETA ${rate > 0 ? formatDuration(left / rate) : '?'}`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const config = resolveEnvironment(args.env, args.context);
  const streamName = streamNameOf(config, args.stream);
  const planned = Math.round(args.rate * args.duration);
  await confirmWrite(config, `producing ${planned} synthetic events to ${streamName}`, args.yes);
  const client = new KinesisClient({ region: config.region });
  const records = streamRecords({
    seed: args.seed,
    count: planned,
    startMs: Date.now(),
    ratePerSecond: args.rate,
    streamWeights: { transactions: 0, customers: 0, clickstream: 0, [args.stream]: 1 },
    defectRate: args.defectRate,
    currencies: config.streaming.currencies,
    targets: config.anomaly,
  });
  const total: SendStats = { sent: 0, failed: 0, retried: 0 };
  const started = Date.now();
  const progress = new Progress(() => progressLine(total, Date.now() - started, planned), args.progressSeconds * 1000);
  console.log(
    `producing to ${streamName} (${config.name}, ${config.region}): ${args.rate}/s for ${args.duration}s = ${planned} records, seed ${args.seed}`,
  );
  // Ctrl-C ends the run after the current second, with the summary.
  let interrupted = false;
  process.once('SIGINT', () => (interrupted = true));
  for (let second = 0; second < args.duration && !interrupted; second++) {
    const tickStart = Date.now();
    const entries: PutRecordsRequestEntry[] = [];
    for (let i = 0; i < args.rate; i++) {
      const next = records.next();
      if (next.done) break;
      entries.push({ Data: markSynthetic(next.value.data), PartitionKey: next.value.partitionKey });
    }
    const stats = await putAll(client, streamName, entries);
    total.sent += stats.sent;
    total.failed += stats.failed;
    total.retried += stats.retried;
    progress.tick();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - tickStart))));
  }
  console.log(
    `${interrupted ? 'interrupted after' : 'done in'} ${formatDuration((Date.now() - started) / 1000)}: sent ${total.sent}, failed ${total.failed}, retried ${total.retried}`,
  );
  return interrupted ? 130 : total.failed > 0 ? 1 : 0;
}

if (require.main === module) runCli('produce', USAGE, main);
