import type { AnomalyType } from '../contracts/events-anomalies';
import type { AlertEntry } from './alert-outbox';

/** The anomaly summary the alert outbox publishes to SNS: what on-call reads. */

const MAX_EXAMPLES = 10;

/** One SNS message: counts by type, every entry's sequence number by type, a few examples and the ledger's key. */
export function alertMessage(
  environment: string,
  stream: string,
  ledgerKey: string,
  entries: readonly AlertEntry[],
): { subject: string; message: string } {
  const byType: Partial<Record<AnomalyType, number>> = {};
  const sequenceNumbers: Partial<Record<AnomalyType, string[]>> = {};
  for (const e of entries) {
    byType[e.anomaly_type] = (byType[e.anomaly_type] ?? 0) + 1;
    (sequenceNumbers[e.anomaly_type] ??= []).push(e.sequence_number);
  }
  const message = {
    environment,
    stream,
    shard_id: entries[0]?.shard_id,
    anomalies: entries.length,
    by_type: byType,
    examples: entries.slice(0, MAX_EXAMPLES).map(({ anomaly_type, event_id, score, threshold, sequence_number }) => ({
      anomaly_type,
      event_id,
      score,
      threshold,
      sequence_number,
    })),
    sequence_numbers: sequenceNumbers,
    ledger: ledgerKey,
  };
  const types = Object.entries(byType)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  // SNS subjects: ASCII, ≤ 100 characters.
  const subject = `DataFlow ${environment} ${stream}: ${types}`.replace(/[^\x20-\x7e]/g, '').slice(0, 100);
  return { subject, message: JSON.stringify(message, null, 2) };
}
