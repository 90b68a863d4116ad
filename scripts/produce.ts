import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { loadEnvironmentConfig } from '../lib/config';
import { streamNameOf } from '../lib/constructs/stream-settings';
import { STREAM_NAMES, type StreamName } from '../lambda/contracts/events';
import { streamRecords } from '../lambda/generator';

/**
 * Producer CLI for the platform team: sends generated events (with the generator's default defect and anomaly rates)
 * to a deployed stream.
 *
 *   npm run produce -- --env dev --stream transactions --rate 200 --duration 60 [--seed 1] [--defect-rate 0.05]
 *
 * PutRecords in batches within the Kinesis limits (≤ 500 records, ≤ 5 MiB, ≤ 1 MiB per record); partially failed
 * records (throttling) are retried with exponential backoff and jitter. Prints sent / failed / retried.
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
export async function putAll(client: KinesisClient, streamName: string, entries: readonly PutRecordsRequestEntry[], options: SendOptions = {}): Promise<SendStats> {
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

interface Args {
  env: string;
  stream: StreamName;
  rate: number;
  duration: number;
  seed: number;
  defectRate: number;
}

export function parseArgs(argv: readonly string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stream = get('stream') ?? 'transactions';
  if (!(STREAM_NAMES as readonly string[]).includes(stream)) throw new Error(`--stream must be one of ${STREAM_NAMES.join(', ')} (got ${stream})`);
  const num = (name: string, fallback: number, min: number, max: number) => {
    const raw = get(name);
    const v = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${name} must be a number between ${min} and ${max} (got ${raw})`);
    return v;
  };
  return {
    env: get('env') ?? 'dev',
    stream: stream as StreamName,
    rate: num('rate', 200, 1, 100_000),
    duration: num('duration', 60, 1, 86_400),
    seed: num('seed', Date.now() % 1_000_000, 0, 2 ** 32 - 1),
    defectRate: num('defect-rate', 0.05, 0, 1),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadEnvironmentConfig(args.env);
  const streamName = streamNameOf(config, args.stream);
  const client = new KinesisClient({ region: config.region });
  const records = streamRecords({
    seed: args.seed,
    count: Math.round(args.rate * args.duration),
    startMs: Date.now(),
    ratePerSecond: args.rate,
    streamWeights: { transactions: 0, customers: 0, clickstream: 0, [args.stream]: 1 },
    defectRate: args.defectRate,
    currencies: config.streaming.currencies,
    targets: config.anomaly,
  });
  const total: SendStats = { sent: 0, failed: 0, retried: 0 };
  console.log(`producing to ${streamName} (${config.region}): ${args.rate}/s for ${args.duration}s, seed ${args.seed}`);
  for (let second = 0; second < args.duration; second++) {
    const tickStart = Date.now();
    const entries: PutRecordsRequestEntry[] = [];
    for (let i = 0; i < args.rate; i++) {
      const next = records.next();
      if (next.done) break;
      entries.push({ Data: next.value.data, PartitionKey: next.value.partitionKey });
    }
    const stats = await putAll(client, streamName, entries);
    total.sent += stats.sent;
    total.failed += stats.failed;
    total.retried += stats.retried;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - tickStart))));
  }
  console.log(`sent ${total.sent}, failed ${total.failed}, retried ${total.retried}`);
  if (total.failed > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`produce: ${(err as Error).message}`);
    process.exit(1);
  });
}
