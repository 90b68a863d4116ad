import type { AnomalyType } from '../contracts/events-anomalies';
import type { Finding } from './anomalies';
import { validRecordAt, type BatchOutcome } from './core';
import type { PlannedObject } from './route';

/** The one SNS message per batch that found anomalies (never one per record). */
export interface AnomalySummary {
  readonly subject: string;
  readonly message: string;
}

const MAX_EXAMPLES = 10;

export function buildAnomalySummary(environment: string, outcome: BatchOutcome, findings: readonly Finding[], objects: readonly PlannedObject[]): AnomalySummary | undefined {
  if (findings.length === 0) return undefined;
  const byType: Partial<Record<AnomalyType, number>> = {};
  for (const f of findings) byType[f.type] = (byType[f.type] ?? 0) + 1;
  const first = outcome.records[0];
  const last = outcome.records[outcome.records.length - 1];
  const examples = findings.slice(0, MAX_EXAMPLES).map((f) => ({
    anomaly_type: f.type,
    event_id: validRecordAt(outcome.valid, f.index)?.eventId,
    score: f.score,
    threshold: f.threshold,
    sequence_number: outcome.records[f.index].sequenceNumber,
  }));
  const message = {
    environment,
    stream: outcome.stream,
    shard_id: first.shardId,
    first_sequence_number: first.sequenceNumber,
    last_sequence_number: last.sequenceNumber,
    anomalies: findings.length,
    by_type: byType,
    examples,
    objects: objects.filter((o) => o.kind === 'anomalies').map((o) => o.key),
  };
  const types = Object.entries(byType)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  // SNS subjects: ASCII, ≤ 100 characters.
  const subject = `DataFlow ${environment} ${outcome.stream}: ${types}`.replace(/[^\x20-\x7e]/g, '').slice(0, 100);
  return { subject, message: JSON.stringify(message, null, 2) };
}
