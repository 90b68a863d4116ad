/**
 * Stable, machine-readable reasons a stream record is quarantined. They appear in quarantine object keys
 * (`reason=<code>/`), in metrics (`Reason` dimension) and in the generator's defect labels, so they never change
 * meaning; new reasons may be added.
 */
export const QUARANTINE_REASONS = [
  /** The record's bytes are not valid UTF-8 text. */
  'invalid_encoding',
  /** The text is not JSON. */
  'invalid_json',
  /** The JSON value is not an object (array, string, number, null). */
  'not_an_object',
  /** `event_type` is missing or not a known event type. */
  'unknown_event_type',
  /** `event_version` is missing or not a version this processor knows for the event type. */
  'unsupported_event_version',
  /** The event type belongs to a different stream than the one it arrived on. */
  'wrong_stream',
  /** A required field is absent. */
  'missing_field',
  /** A field the contract does not define is present (contracts are strict; new fields need a new version). */
  'unexpected_field',
  /** A field has the wrong type, format or value. */
  'invalid_field',
  /** An amount is outside 0.01–100,000. */
  'amount_out_of_range',
  /** A money value has more than two decimals. */
  'invalid_money',
  /** `amount` differs from Σ quantity × unit_price by more than 0.01. */
  'amount_mismatch',
  /** A date or timestamp is outside 2020-01-01 – 2030-12-31. */
  'timestamp_out_of_range',
  /** `occurred_at` is more than 5 minutes after the record's arrival in the stream. */
  'future_timestamp',
  /** `last_login` is before `registration_date`. */
  'login_before_registration',
  /** A `customer_updated` event that changes nothing. */
  'empty_update',
] as const;

export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** One problem found in a record: where (dotted path, `""` for the root), a code and a human message. */
export interface ContractIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** Reasons attached to custom refinements travel in the zod issue's `params.reason`. */
export function reasonParams(reason: QuarantineReason): { params: { reason: QuarantineReason } } {
  return { params: { reason } };
}
