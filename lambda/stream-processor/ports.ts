import type { LakeZone } from './route';

/**
 * The handler's edge: everything it does to the outside world goes through these ports. Lambda plugs in S3, SNS and
 * Powertools (`index.ts`); the local run plugs in a directory lake and in-memory sinks. The core and the handler are
 * the same code in both.
 */

/** Writes NDJSON objects to a lake zone. Errors are thrown (and treated as transient). */
export interface LakeWriter {
  put(zone: LakeZone, key: string, body: string): Promise<void>;
  delete(zone: LakeZone, key: string): Promise<void>;
}

/** Publishes one alert message (the per-batch anomaly summary). */
export interface AlertPublisher {
  publish(subject: string, message: string): Promise<void>;
}

/** What one invocation did, for metrics. */
export interface BatchReport {
  readonly stream: string;
  readonly recordsIn: number;
  readonly valid: number;
  readonly quarantined: number;
  readonly quarantinedByReason: Readonly<Record<string, number>>;
  readonly anomaliesByType: Readonly<Record<string, number>>;
  readonly highValue: number;
  /** Records reported back for redelivery. */
  readonly retried: number;
  /** Handler wall time (ms). */
  readonly processingMs: number;
  /** Age of the oldest record at the end of processing (ms). */
  readonly maxRecordAgeMs: number;
  /** 1 when the anomaly summary could not be published. */
  readonly alertFailures: number;
  /** Objects that could not be rolled back after a failure (possible duplicates on redelivery). */
  readonly compensationFailures: number;
}

export interface MetricsSink {
  record(report: BatchReport): void;
}

export interface LogPort {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}
