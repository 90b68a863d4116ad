import type { Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { STREAM_NAMES } from '../../lambda/contracts/events';
import { StreamProcessor } from '../../lib/constructs/stream-processor';
import { BENCH_SETTINGS } from '../../scripts/generator/stream-fixture';

/**
 * A `StreamProcessor` on its own in `stack`, every optional prop left at its default: one KMS stream per logical
 * stream and an alert topic, all keyed by `key`, writing to the given zone buckets.
 */
export function processorWithDefaults(
  stack: Stack,
  key: kms.IKey,
  zones: { staging: s3.IBucket; quarantine: s3.IBucket },
): StreamProcessor {
  const streams = Object.fromEntries(
    STREAM_NAMES.map((n) => [n, new kinesis.Stream(stack, `S-${n}`, { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key })]),
  );
  return new StreamProcessor(stack, 'P', {
    streams: streams as never,
    settings: { ...BENCH_SETTINGS, environment: 'dev', streams: {}, currencies: ['USD'] },
    ...zones,
    lakeKey: key,
    alertTopic: new sns.Topic(stack, 'T'),
    key,
    logsKey: key,
  });
}
