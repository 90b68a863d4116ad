/**
 * Anomaly types the stream processor detects. They name the `anomalies/<anomaly_type>/` lake prefix, the
 * `AnomalyType` metric dimension and the generator's anomaly labels. Anomalies are valid events worth a look, not
 * rejections: the event is still written to the staging zone.
 */
export const ANOMALY_TYPES = [
  /** A transaction amount above the configured hard threshold (default 10,000). */
  'high_amount',
  /** A transaction amount that is a robust outlier within its batch (median/MAD of log amounts). */
  'amount_outlier',
  /** More orders from one customer within one batch than the configured maximum. */
  'velocity',
  /** `occurred_at` ahead of the record's arrival time by more than the configured skew (but within 5 minutes). */
  'clock_skew',
  /** The record arrived later than the configured lateness after `occurred_at`. */
  'late_arrival',
] as const;

export type AnomalyType = (typeof ANOMALY_TYPES)[number];

/** One line of an `anomalies/` NDJSON object. */
export interface AnomalyRecord {
  readonly anomaly_type: AnomalyType;
  readonly event_id: string;
  readonly event_type: string;
  readonly customer_id: string | null;
  /** The observed value the rule judged (amount, robust z-score, order count, seconds of skew or lateness). */
  readonly score: number;
  /** The configured threshold the score exceeded. */
  readonly threshold: number;
  readonly occurred_at: string;
  readonly shard_id: string;
  readonly sequence_number: string;
  readonly arrival_time: string;
}
