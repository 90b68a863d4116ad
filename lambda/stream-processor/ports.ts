import type { LakeStore } from '../contracts/lake';
import type { StreamZone } from './route';

/**
 * The handler's edge: everything it does to the outside world goes through these ports. Lambda plugs in S3, SNS and
 * Powertools (`index.ts`); the local run plugs in a directory lake and in-memory sinks. The core and the handler are
 * the same code in both.
 */

/** What the handler needs of the lake port: it writes NDJSON objects and rolls them back. Errors count as transient. */
export type StreamLake = Pick<LakeStore<StreamZone>, 'put' | 'delete'>;

/** Publishes one alert message (an anomaly summary). */
export interface AlertPublisher {
  publish(subject: string, message: string): Promise<void>;
}

/** A stored document and the version a conditional write must name to replace it. */
export interface StoredDocument {
  readonly body: string;
  readonly version: string;
}

/**
 * Small JSON documents with optimistic concurrency (the alert ledger; on S3: a prefix of the staging bucket with
 * conditional writes). Errors other than a version conflict are thrown.
 */
export interface DocumentStore {
  read(key: string): Promise<StoredDocument | undefined>;
  /** Writes when the current version is `expected` (`undefined`: only if absent): the new version, or false on a conflict. */
  write(key: string, body: string, expected: string | undefined): Promise<string | false>;
  /** Up to `max` keys under `prefix`. */
  list(prefix: string, max: number): Promise<string[]>;
  remove(key: string): Promise<void>;
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
  /** Anomaly summaries that could not be published (their entries stay pending in the alert ledger). */
  readonly alertFailures: number;
  /** Anomaly entries of this batch left pending in the alert ledger (sent by a later invocation). */
  readonly alertsDeferred: number;
  /** Ledgers with pending entries seen by this invocation's outbox sweep (undefined: no sweep this time). */
  readonly alertOutboxDepth?: number;
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
