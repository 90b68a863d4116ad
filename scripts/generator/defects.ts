import type { QuarantineReason, StreamName } from '../../lambda/contracts/events';
import type { Random } from './random';

/**
 * Injected defects: each turns a valid event into a record the processor must quarantine with exactly the named
 * reason. The reason is the defect's label, so the local run can check every quarantine decision.
 */

type Json = Record<string, unknown>;

export interface Defect {
  readonly reason: QuarantineReason;
  /** Streams whose events this defect can be applied to. */
  readonly streams: readonly StreamName[];
  /** Event types it applies to. @default every event of `streams` */
  readonly appliesTo?: (event: Json) => boolean;
  /** Returns the bytes to send. */
  apply(event: Json, rng: Random, arrivalMs: number): Buffer;
}

const ALL: readonly StreamName[] = ['transactions', 'customers', 'clickstream'];
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const OPTIONAL_UPDATE_KEYS = new Set(['email', 'first_name', 'last_name', 'segment']);
/** Fields that may be dropped without changing which rule fires first. */
const notRequired = (e: Json, key: string): boolean =>
  key === 'event_type' ||
  key === 'event_version' ||
  key === 'user_agent' ||
  key === 'referrer' ||
  (e.event_type === 'customer_updated' && OPTIONAL_UPDATE_KEYS.has(key));

export const DEFECTS: readonly Defect[] = [
  {
    reason: 'invalid_encoding',
    streams: ALL,
    apply: (e) => Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), json(e)]),
  },
  {
    reason: 'invalid_json',
    streams: ALL,
    apply: (e, rng) => {
      const text = JSON.stringify(e);
      return Buffer.from(text.slice(0, rng.int(1, text.length - 2)), 'utf8');
    },
  },
  {
    reason: 'not_an_object',
    streams: ALL,
    apply: (e, rng) => json(rng.pick([[e], 'order', 42, null])),
  },
  {
    reason: 'unknown_event_type',
    streams: ALL,
    apply: (e, rng) => json({ ...e, event_type: rng.pick(['order_refunded', 'OrderPlaced', '', 7, null]) }),
  },
  {
    reason: 'unsupported_event_version',
    streams: ALL,
    apply: (e, rng) => json({ ...e, event_version: rng.pick([0, 2, '1', 1.5]) }),
  },
  {
    reason: 'missing_field',
    streams: ALL,
    apply: (e, rng) => {
      const drop = rng.pick(Object.keys(e).filter((k) => !notRequired(e, k)));
      const copy = { ...e };
      delete copy[drop];
      return json(copy);
    },
  },
  {
    reason: 'unexpected_field',
    streams: ALL,
    apply: (e, rng) => json({ ...e, [rng.pick(['coupon_code', 'debug', 'internal_note'])]: 'x' }),
  },
  {
    reason: 'invalid_field',
    streams: ALL,
    apply: (e, rng) => json({ ...e, source: rng.pick(['email', 'WEB', 'kiosk']) }),
  },
  {
    reason: 'future_timestamp',
    streams: ALL,
    apply: (e, rng, arrivalMs) => json({ ...e, occurred_at: new Date(arrivalMs + rng.int(6 * 60_000, 6 * 3_600_000)).toISOString() }),
  },
  {
    reason: 'timestamp_out_of_range',
    streams: ALL,
    apply: (e, rng) =>
      json({ ...e, occurred_at: rng.pick(['2019-12-31T23:59:59.000Z', '2018-03-04T10:00:00Z', '2031-01-01T00:00:00.000Z']) }),
  },
  {
    reason: 'amount_mismatch',
    streams: ['transactions'],
    appliesTo: (e) => e.event_type === 'order_placed',
    apply: (e, rng) => json({ ...e, amount: Math.round(((e.amount as number) + rng.int(1, 50)) * 100) / 100 }),
  },
  {
    reason: 'amount_out_of_range',
    streams: ['transactions'],
    appliesTo: (e) => e.event_type === 'payment_captured',
    apply: (e, rng) => json({ ...e, amount: rng.pick([0, -5, 250_000]) }),
  },
  {
    reason: 'invalid_money',
    streams: ['transactions'],
    appliesTo: (e) => e.event_type === 'payment_captured',
    apply: (e) => json({ ...e, amount: Math.floor(e.amount as number) + 0.125 }),
  },
  {
    reason: 'login_before_registration',
    streams: ['customers'],
    appliesTo: (e) => e.event_type === 'customer_login',
    apply: (e) =>
      json({ ...e, registration_date: new Date(Date.parse(e.last_login as string) + 3 * 86_400_000).toISOString().slice(0, 10) }),
  },
  {
    reason: 'empty_update',
    streams: ['customers'],
    appliesTo: (e) => e.event_type === 'customer_updated',
    apply: (e) => json(Object.fromEntries(Object.entries(e).filter(([k]) => !OPTIONAL_UPDATE_KEYS.has(k)))),
  },
];

/** The defects that can be applied to an event on a stream. */
export function defectsFor(stream: StreamName, event: Json): Defect[] {
  return DEFECTS.filter((d) => d.streams.includes(stream) && (d.appliesTo === undefined || d.appliesTo(event)));
}
