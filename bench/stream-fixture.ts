import type { KinesisStreamEvent } from 'aws-lambda';
import { generateRecords, type GeneratorOptions } from '../lambda/generator';
import type { ProcessorSettings } from '../lambda/stream-processor/settings';

/** Shared by the benchmark and tests: generated records as a Kinesis event of one stream and shard. */

export const STREAM_ARN_PREFIX = 'arn:aws:kinesis:eu-west-1:123456789012:stream/';

export const BENCH_SETTINGS: ProcessorSettings = {
  environment: 'bench',
  streams: { 'dataflow-bench-transactions': 'transactions', 'dataflow-bench-customers': 'customers', 'dataflow-bench-clickstream': 'clickstream' },
  currencies: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'],
  highValueAmount: 1_000,
  anomaly: { highAmount: 10_000, madZThreshold: 4.5, madMinSamples: 30, velocityMaxOrders: 5, maxClockSkewSeconds: 60, maxLatenessSeconds: 3_600 },
};

/** A 20+ digit Kinesis-style sequence number for position `i` of a shard. */
export function sequenceNumber(i: number): string {
  return `4959${String(1e15 + i).padStart(22, '0')}`;
}

/** One stream's generated records as a Kinesis event (one shard, consecutive sequence numbers). */
export function kinesisEventOf(
  records: readonly { data: Buffer; arrivalMs: number; partitionKey: string }[],
  streamName: string,
  shardId = 'shardId-000000000000',
  firstSequence = 0,
): KinesisStreamEvent {
  return {
    Records: records.map((r, i) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey,
        sequenceNumber: sequenceNumber(firstSequence + i),
        data: r.data.toString('base64'),
        approximateArrivalTimestamp: r.arrivalMs / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumber(firstSequence + i)}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/stream-processor',
      awsRegion: 'eu-west-1',
      eventSourceARN: `${STREAM_ARN_PREFIX}${streamName}`,
    })),
  };
}

/** `count` transaction records (~5% invalid) as one Kinesis batch. */
export function transactionsBatch(count: number, overrides: Partial<GeneratorOptions> = {}): KinesisStreamEvent {
  const records = generateRecords({ seed: 20261102, count, streamWeights: { transactions: 1, customers: 0, clickstream: 0 }, ...overrides });
  return kinesisEventOf(records.slice(0, count), 'dataflow-bench-transactions');
}
