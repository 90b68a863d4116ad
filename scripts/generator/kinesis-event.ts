import type { KinesisStreamEvent } from 'aws-lambda';

/**
 * Generated records as the Kinesis event Lambda would deliver (one stream, one shard, consecutive sequence numbers).
 * Used by the local stream pass, the benchmark and the tests.
 */

/** A Kinesis-style sequence number (26 digits) for position `i` of a shard. */
export function sequenceNumber(i: number): string {
  return `4959${String(1e15 + i).padStart(22, '0')}`;
}

export const STREAM_ARN_PREFIX = 'arn:aws:kinesis:eu-west-1:123456789012:stream/';

export function kinesisEventOf(
  records: readonly { readonly data: Buffer; readonly arrivalMs: number; readonly partitionKey: string }[],
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
