import type { KinesisStreamEvent } from 'aws-lambda';
import { generateRecords, type GeneratorOptions } from './index';
import { kinesisEventOf } from './kinesis-event';
import type { ProcessorConfig, ProcessorSettings } from '../../lambda/contracts/processor-settings';

/** The benchmark's batch and settings (also used by the tests). */

export const BENCH_SETTINGS: ProcessorSettings = {
  environment: 'bench',
  streams: {
    'dataflow-bench-transactions': 'transactions',
    'dataflow-bench-customers': 'customers',
    'dataflow-bench-clickstream': 'clickstream',
  },
  currencies: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'],
  highValueAmount: 1_000,
  anomaly: {
    highAmount: 10_000,
    madZThreshold: 4.5,
    madMinSamples: 30,
    velocityMaxOrders: 5,
    maxClockSkewSeconds: 60,
    maxLatenessSeconds: 3_600,
  },
};

/** Where a processor run off AWS writes (its S3 and SNS clients are mocked or stubbed). */
export const BENCH_RESOURCES: ProcessorConfig['resources'] = {
  buckets: { staging: 'staging', quarantine: 'quarantine' },
  alertTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
};

/** The `PROCESSOR_SETTINGS` value of a processor run off AWS: the settings plus the resources it writes to. */
export function processorSettingsVariable(settings: ProcessorSettings, resources = BENCH_RESOURCES): string {
  return JSON.stringify({ ...settings, resources });
}

/** `count` transaction records (~5% invalid) as one Kinesis batch. */
export function transactionsBatch(count: number, overrides: Partial<GeneratorOptions> = {}): KinesisStreamEvent {
  const records = generateRecords({
    seed: 20261102,
    count,
    streamWeights: { transactions: 1, customers: 0, clickstream: 0 },
    ...overrides,
  });
  return kinesisEventOf(records.slice(0, count), 'dataflow-bench-transactions');
}
