/**
 * The lake as the replay tool sees it: the lake port (S3 or a local directory) for reading, and a writer in front of it
 * for the stream handler that writes only objects that are not there yet (replays are idempotent: replayed records
 * get deterministic keys, so a second run finds them and stages nothing new), or only records what it would write
 * in a dry run.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { LakeStore } from '../../lambda/contracts/lake';
import type { StreamLake } from '../../lambda/stream-processor/ports';
import type { StreamZone } from '../../lambda/stream-processor/route';

export interface WriteTally {
  /** Objects written (or, in a dry run, that would be written). */
  readonly written: string[];
  /** Objects already in the lake, left as they are. */
  readonly present: string[];
  /** Quarantine bodies the handler produced but that were not written (records that stay quarantined). */
  readonly withheld: string[];
}

export interface ReplayWriterOptions {
  readonly apply: boolean;
  /** Write quarantine objects too (false: records that are still invalid stay in their original object). */
  readonly writeQuarantine: boolean;
}

/** The stream handler's lake during a replay: never overwrites and, without `apply`, never writes. */
export class ReplayWriter implements StreamLake {
  public readonly tally: WriteTally = { written: [], present: [], withheld: [] };
  private readonly ours = new Set<string>();

  constructor(
    private readonly lake: LakeStore,
    private readonly options: ReplayWriterOptions,
  ) {}

  public async put(zone: StreamZone, key: string, body: string | Uint8Array, contentType?: string): Promise<void> {
    if (zone === 'quarantine' && !this.options.writeQuarantine) {
      this.tally.withheld.push(Buffer.from(body).toString('utf8'));
      return;
    }
    const where = `${zone}/${key}`;
    if ((await this.lake.get(zone, key)) !== undefined) {
      this.tally.present.push(where);
      return;
    }
    if (this.options.apply) await this.lake.put(zone, key, body, contentType);
    this.ours.add(where);
    this.tally.written.push(where);
  }

  /** The handler rolls back after a failed write: only objects this run wrote are removed. */
  public async delete(zone: StreamZone, keys: readonly string[]): Promise<void> {
    const ours = keys.filter((key) => this.ours.has(`${zone}/${key}`));
    if (this.options.apply && ours.length) await this.lake.delete(zone, ours);
    for (const key of ours) {
      const where = `${zone}/${key}`;
      this.ours.delete(where);
      const i = this.tally.written.indexOf(where);
      if (i >= 0) this.tally.written.splice(i, 1);
    }
  }
}

/** A Kinesis record as Lambda delivers it, rebuilt from its stream position. */
export function kinesisRecord(
  streamArn: string,
  shardId: string,
  sequenceNumber: string,
  dataBase64: string,
  arrivalMs: number,
  partitionKey = 'replay',
): KinesisStreamRecord {
  return {
    kinesis: { kinesisSchemaVersion: '1.0', partitionKey, sequenceNumber, data: dataBase64, approximateArrivalTimestamp: arrivalMs / 1000 },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'replay',
    awsRegion: streamArn.split(':')[3] ?? '',
    eventSourceARN: streamArn,
  };
}
