/**
 * Replay of the ranges named by the stream processor's failure-queue messages (the Kinesis event source mapping's
 * on-failure record): each range is read back from the stream by shard and sequence number (GetShardIterator
 * AT_SEQUENCE_NUMBER, then GetRecords until endSequenceNumber) while the stream still holds it, and processed by
 * the stream handler, as the mapping would have done.
 */
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { StreamHandler } from '../../lambda/stream-processor/handler';
import { kinesisRecord } from './lake';

/** The part of an on-failure message that names the skipped records. */
export interface FailedRange {
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
}

/**
 * Ranges from saved messages: the output of `aws sqs receive-message` (`{"Messages":[{"Body":…}]}`), a list of
 * message bodies, one body, or one body per line. The error names what is missing.
 */
export function parseFailureMessages(text: string): FailedRange[] {
  const bodies: unknown[] = [];
  const add = (v: unknown) => {
    if (v && typeof v === 'object' && 'Messages' in v && Array.isArray((v as { Messages: unknown[] }).Messages)) {
      for (const m of (v as { Messages: { Body?: string }[] }).Messages) add(JSON.parse(m.Body ?? 'null'));
    } else if (Array.isArray(v)) v.forEach(add);
    else bodies.push(v);
  };
  try {
    add(JSON.parse(text));
  } catch {
    for (const line of text.split('\n')) if (line.trim()) add(JSON.parse(line));
  }
  return bodies.map((b, i) => {
    const info = (b as { KinesisBatchInfo?: Partial<FailedRange> } | null)?.KinesisBatchInfo;
    const missing = (['streamArn', 'shardId', 'startSequenceNumber', 'endSequenceNumber'] as const).filter(
      (k) => typeof info?.[k] !== 'string',
    );
    if (!info || missing.length > 0) throw new Error(`message ${i + 1}: KinesisBatchInfo lacks ${missing.join(', ') || 'everything'}`);
    return {
      streamArn: info.streamArn,
      shardId: info.shardId,
      startSequenceNumber: info.startSequenceNumber,
      endSequenceNumber: info.endSequenceNumber,
    } as FailedRange;
  });
}

export interface RangeRead {
  readonly records: KinesisStreamRecord[];
  /** True when the first record read is the range's start and the end was reached. */
  readonly complete: boolean;
  readonly note?: string;
}

/** Reads one range from its shard; stops at the end sequence number, a closed shard, or the shard's tip. */
export async function readRange(kinesis: KinesisClient, range: FailedRange, maxCalls = 1_000): Promise<RangeRead> {
  const end = BigInt(range.endSequenceNumber);
  const start = BigInt(range.startSequenceNumber);
  let iterator = (
    await kinesis.send(
      new GetShardIteratorCommand({
        StreamARN: range.streamArn,
        ShardId: range.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: range.startSequenceNumber,
      }),
    )
  ).ShardIterator;
  const records: KinesisStreamRecord[] = [];
  for (let call = 0; iterator && call < maxCalls; call++) {
    const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, StreamARN: range.streamArn, Limit: 1_000 }));
    for (const r of out.Records ?? []) {
      const seq = BigInt(r.SequenceNumber as string);
      if (seq > end) return finish(records, start, true);
      records.push(
        kinesisRecord(
          range.streamArn,
          range.shardId,
          r.SequenceNumber as string,
          Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
          r.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
          r.PartitionKey,
        ),
      );
      if (seq === end) return finish(records, start, true);
    }
    if ((out.Records ?? []).length === 0 && out.MillisBehindLatest === 0)
      return finish(records, start, false, 'reached the shard tip before the end sequence number');
    iterator = out.NextShardIterator;
  }
  return finish(
    records,
    start,
    false,
    iterator ? `stopped after ${maxCalls} GetRecords calls` : 'the shard is closed before the end sequence number',
  );
}

function finish(records: KinesisStreamRecord[], start: bigint, reachedEnd: boolean, note?: string): RangeRead {
  const first = records[0] ? BigInt(records[0].kinesis.sequenceNumber) : undefined;
  if (first !== start) {
    return {
      records,
      complete: false,
      note:
        first === undefined
          ? 'no records: the range has left the stream (retention)'
          : `the stream no longer holds the records before ${records[0].kinesis.sequenceNumber}`,
    };
  }
  return { records, complete: reachedEnd, ...(note ? { note } : {}) };
}

/** Processes a range's records through the handler in batches of `batchSize`; returns records reported as failed. */
export async function processRange(handler: StreamHandler, records: readonly KinesisStreamRecord[], batchSize: number): Promise<number> {
  let failed = 0;
  for (let i = 0; i < records.length; i += batchSize) {
    const response = await handler({ Records: records.slice(i, i + batchSize) });
    failed += response.batchItemFailures.length;
  }
  return failed;
}
