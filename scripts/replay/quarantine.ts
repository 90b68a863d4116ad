/**
 * Replay of quarantined stream records: every record quarantined for a stream (optionally one reason) in an hour
 * range is validated again through the current contracts by the stream handler itself. Records that are valid now
 * are staged, each as its own object (`<shard>-<seq>-<seq>.ndjson`: the key depends only on the record, so any later
 * replay finds it and stages nothing twice); records that are still invalid stay where they are and are reported
 * with their reason and issue.
 */
import type { LakeStore } from '../../lambda/contracts/lake';
import { QUARANTINE_REASONS, type StreamName } from '../../lambda/contracts/events';
import { partitionPrefix } from '../../lambda/contracts/lake-keys';
import type { StreamHandler } from '../../lambda/stream-processor/handler';
import { kinesisRecord, type ReplayWriter } from './lake';

const HOUR_MS = 3_600_000;

/** One line of a quarantine object (see the stream processor's route). */
interface QuarantineLine {
  readonly reason: string;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  readonly raw_base64: string;
  readonly shard_id: string;
  readonly sequence_number: string;
  readonly arrival_time: string;
  readonly stream: string;
}

export interface QuarantineReplayRequest {
  readonly stream: StreamName;
  /** Physical stream ARN the records came from (the handler maps it to the logical stream). */
  readonly streamArn: string;
  /** Only this reason; all reasons when undefined. */
  readonly reason?: string;
  /** Whole hours [fromMs, toMs) of arrival (the quarantine partition hour). */
  readonly fromMs: number;
  readonly toMs: number;
}

export interface QuarantineReplayResult {
  readonly objectsRead: number;
  readonly recordsRead: number;
  /** Still invalid: reason → count, with a few examples. */
  readonly stillQuarantined: Record<string, number>;
  readonly examples: string[];
  readonly failedRecords: number;
}

/** The quarantine folders to read: one per reason and hour. */
export function quarantinePrefixes(request: QuarantineReplayRequest): string[] {
  const reasons = request.reason === undefined ? QUARANTINE_REASONS : [request.reason];
  const out: string[] = [];
  for (const reason of reasons) {
    for (let t = request.fromMs; t < request.toMs; t += HOUR_MS)
      out.push(partitionPrefix({ source: 'stream', entity: request.stream, reason, time: new Date(t) }));
  }
  return out;
}

export async function replayQuarantine(
  lake: LakeStore,
  handler: StreamHandler,
  writer: ReplayWriter,
  request: QuarantineReplayRequest,
): Promise<QuarantineReplayResult> {
  let objectsRead = 0;
  let recordsRead = 0;
  let failedRecords = 0;
  for (const prefix of quarantinePrefixes(request)) {
    for (const key of await lake.list('quarantine', prefix)) {
      if (!key.endsWith('.ndjson')) continue;
      const body = await lake.get('quarantine', key);
      if (body === undefined) continue;
      objectsRead++;
      for (const text of body.toString('utf8').split('\n')) {
        if (text.trim() === '') continue;
        const line = JSON.parse(text) as QuarantineLine;
        recordsRead++;
        const record = kinesisRecord(
          request.streamArn,
          line.shard_id,
          line.sequence_number,
          line.raw_base64,
          Date.parse(line.arrival_time),
        );
        // One record per invocation: its staging key names only this record.
        const response = await handler({ Records: [record] });
        failedRecords += response.batchItemFailures.length;
      }
    }
  }
  const stillQuarantined: Record<string, number> = {};
  const examples: string[] = [];
  for (const withheld of writer.tally.withheld) {
    for (const text of withheld.split('\n')) {
      if (text === '') continue;
      const line = JSON.parse(text) as QuarantineLine;
      stillQuarantined[line.reason] = (stillQuarantined[line.reason] ?? 0) + 1;
      if (examples.length < 10)
        examples.push(
          `${line.shard_id}:${line.sequence_number} ${line.reason}: ${line.issues.map((i) => `${i.path || '(record)'} ${i.message}`).join('; ')}`,
        );
    }
  }
  return { objectsRead, recordsRead, stillQuarantined, examples, failedRecords };
}
