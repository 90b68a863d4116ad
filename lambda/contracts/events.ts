import * as z from 'zod/mini';
import { type ContractIssue, type QuarantineReason } from './events-reasons';
import { buildEventSchemas, EVENT_VERSION, type EventSchemas, type EventType, type StreamEvent } from './events-schemas';

export * from './events-reasons';
export * from './events-schemas';

/**
 * The stream event contracts: which event types exist, which stream carries them, and one `validate` that turns an
 * arbitrary parsed JSON value into either a typed event or a quarantine reason with the paths of its zod issues.
 */

export const STREAM_NAMES = ['transactions', 'customers', 'clickstream'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

export const STREAM_OF_EVENT: Readonly<Record<EventType, StreamName>> = {
  order_placed: 'transactions',
  order_cancelled: 'transactions',
  payment_captured: 'transactions',
  customer_registered: 'customers',
  customer_updated: 'customers',
  customer_login: 'customers',
  page_view: 'clickstream',
  product_view: 'clickstream',
  add_to_cart: 'clickstream',
  checkout_started: 'clickstream',
};
export const EVENT_TYPES = Object.keys(STREAM_OF_EVENT) as EventType[];

/** Versions each event type accepts. Adding version 2 of a type means adding its schema here. */
export const SUPPORTED_VERSIONS: Readonly<Record<EventType, readonly number[]>> = Object.fromEntries(
  EVENT_TYPES.map((t) => [t, [EVENT_VERSION]]),
) as unknown as Record<EventType, readonly number[]>;

/** How far `occurred_at` may be ahead of the record's arrival in the stream before it is quarantined. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

export type ValidationResult =
  | { readonly ok: true; readonly event: StreamEvent; /** `occurred_at` as epoch ms. */ readonly occurredMs: number }
  | { readonly ok: false; readonly reason: QuarantineReason; readonly issues: readonly ContractIssue[] };

export interface EventContracts {
  /**
   * Validates one parsed JSON value that arrived on `stream` at `arrivalMs` (epoch ms). Never throws for any input.
   */
  validate(value: unknown, stream: StreamName, arrivalMs: number): ValidationResult;
}

export interface EventContractOptions {
  /** ISO-4217 currencies an order or payment may carry. */
  readonly currencies: readonly string[];
}

interface TypeEntry {
  readonly eventType: EventType;
  readonly schema: EventSchemas[EventType];
  readonly stream: StreamName;
  readonly versions: readonly number[];
}

function reject(reason: QuarantineReason, path: string, message: string): ValidationResult {
  return { ok: false, reason, issues: [{ path, code: reason, message }] };
}

/** Builds the schemas once; call at module scope and reuse for every record. */
export function createEventContracts(options: EventContractOptions): EventContracts {
  if (options.currencies.length === 0) throw new Error('createEventContracts: currencies must not be empty');
  const schemas: EventSchemas = buildEventSchemas(options.currencies as [string, ...string[]]);
  // Everything the checks need about an event type, behind one lookup by the (not interned) event_type string.
  const byType = new Map<string, TypeEntry>(
    EVENT_TYPES.map((t) => [t, { eventType: t, schema: schemas[t], stream: STREAM_OF_EVENT[t], versions: SUPPORTED_VERSIONS[t] }]),
  );

  return {
    validate(value, stream, arrivalMs) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return reject(
          'not_an_object',
          '',
          `expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
        );
      }
      const record = value as Record<string, unknown>;
      const type = record.event_type;
      const entry = typeof type === 'string' ? byType.get(type) : undefined;
      if (entry === undefined) {
        return reject('unknown_event_type', 'event_type', `unknown event_type ${JSON.stringify(type ?? null)}`);
      }
      const eventType = entry.eventType;
      if (!entry.versions.includes(record.event_version as number)) {
        return reject(
          'unsupported_event_version',
          'event_version',
          `unsupported event_version ${JSON.stringify(record.event_version ?? null)} for ${eventType}`,
        );
      }
      if (entry.stream !== stream) {
        return reject('wrong_stream', 'event_type', `${eventType} belongs on the ${entry.stream} stream, not ${stream}`);
      }
      // Valid events (the common case) only need the answer: `z.validate` runs the compiled check (without building an
      // output copy, except for schemas with an object-level refine such as order_placed, whose refine receives the
      // built object). Contracts never transform, so the validated value is the event. Only a rejected value is parsed
      // again for its issues.
      const schema = entry.schema;
      if (!z.validate(schema, value)) {
        const rejection = rejectionOf(schema, record);
        if (rejection) return rejection;
      }
      const event = value as StreamEvent;
      const occurredMs = Date.parse(event.occurred_at);
      if (occurredMs - arrivalMs > MAX_FUTURE_MS) {
        return reject('future_timestamp', 'occurred_at', 'occurred_at is more than 5 minutes after the record arrived');
      }
      return { ok: true, event, occurredMs };
    },
  };
}

/** The issues of a value the schema rejects and the reason for the first (undefined if the full parse accepts it). */
function rejectionOf(schema: EventSchemas[EventType], record: Record<string, unknown>): ValidationResult | undefined {
  // A rejected parse builds an Error-derived result; its stack trace is never used, so skip capturing it.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let parsed;
  try {
    parsed = schema.safeParse(record);
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
  if (parsed.success) return undefined;
  return { ok: false, reason: reasonOf(parsed.error.issues[0], record), issues: parsed.error.issues.map(toContractIssue) };
}

function toContractIssue(issue: z.core.$ZodIssue): ContractIssue {
  return { path: issue.path.map(String).join('.'), code: issue.code, message: issue.message };
}

/** The stable reason for the first issue zod reported (zod reports in schema order, so this is deterministic). */
function reasonOf(issue: z.core.$ZodIssue, input: Record<string, unknown>): QuarantineReason {
  if (issue.code === 'custom') {
    const reason = (issue.params as { reason?: QuarantineReason } | undefined)?.reason;
    if (reason) return reason;
  }
  if (issue.code === 'unrecognized_keys') return 'unexpected_field';
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
    issue.path.length > 0 &&
    valueAt(input, issue.path) === undefined
  ) {
    return 'missing_field';
  }
  const last = issue.path[issue.path.length - 1];
  if ((issue.code === 'too_small' || issue.code === 'too_big') && (last === 'amount' || last === 'unit_price' || last === 'cart_value')) {
    return 'amount_out_of_range';
  }
  return 'invalid_field';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
