/**
 * Identity of the lines the stream processor writes, for every reader that counts them. Kinesis delivers at least
 * once and may split a redelivered batch differently (bisect, checkpoint), so one record can be written into two
 * objects with different keys. A record keeps its stream, shard and sequence number across redeliveries; readers
 * count distinct identities, never lines:
 *
 * - staging events: `event_id` (conform keeps one row per `event_id`, as the warehouse merge does);
 * - quarantine: stream, shard and sequence number (triage counts, replays and reports);
 * - anomalies: anomaly type, shard and sequence number (anomaly counts per type).
 */

export type StreamLineKind = 'staging' | 'quarantine' | 'anomalies';

interface LineFields {
  readonly event_id?: string;
  readonly stream?: string;
  readonly shard_id?: string;
  readonly sequence_number?: string;
  readonly anomaly_type?: string;
}

export function lineIdentity(kind: StreamLineKind, line: string): string {
  const f = JSON.parse(line) as LineFields;
  if (kind === 'staging') return String(f.event_id);
  if (kind === 'quarantine') return `${f.stream}|${f.shard_id}|${f.sequence_number}`;
  return `${f.anomaly_type}|${f.shard_id}|${f.sequence_number}`;
}

/** The first line of each identity, in input order. */
export function distinctLines(kind: StreamLineKind, lines: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const id = lineIdentity(kind, line);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(line);
  }
  return out;
}
