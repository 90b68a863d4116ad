import type { AnomalyType } from '../../lambda/contracts/events-anomalies';
import type { QuarantineReason, StreamName } from '../../lambda/contracts/events';
import { defectsFor } from './defects';
import { Random } from './random';
import { World } from './world';

/**
 * The deterministic synthetic event generator: same options → byte-identical records. Produces the three streams'
 * events with realistic shapes, a configurable share of injected defects (each labelled with the quarantine reason
 * the processor must give) and injected anomalies (each labelled with its anomaly type), so runs can be scored.
 * Used by the tests, the benchmark, the local stream pass and the producer CLI.
 */

export type RecordLabel =
  { readonly kind: 'valid'; readonly anomaly?: AnomalyType } | { readonly kind: 'defect'; readonly reason: QuarantineReason };

export interface GeneratedRecord {
  readonly stream: StreamName;
  /** Kinesis partition key (customer id for transactions/customers, session id for clickstream). */
  readonly partitionKey: string;
  readonly data: Buffer;
  /** Simulated arrival time in the stream (epoch ms); the producer CLI replaces it with the real one. */
  readonly arrivalMs: number;
  /** The event id (valid records only). */
  readonly eventId?: string;
  readonly label: RecordLabel;
}

/** Thresholds the injected anomalies are placed against (the processor's anomaly config). */
export interface AnomalyTargets {
  readonly highAmount: number;
  readonly velocityMaxOrders: number;
  readonly maxClockSkewSeconds: number;
  readonly maxLatenessSeconds: number;
}

export interface GeneratorOptions {
  readonly seed: number;
  readonly count: number;
  /** First arrival (epoch ms). @default 2026-11-02T08:00:00Z */
  readonly startMs?: number;
  /** Simulated arrivals per second. @default 500 */
  readonly ratePerSecond?: number;
  /** Relative share of each stream. @default { transactions: 40, customers: 15, clickstream: 45 } */
  readonly streamWeights?: Readonly<Partial<Record<StreamName, number>>>;
  /** Fraction of records turned into defects. @default 0.05 */
  readonly defectRate?: number;
  /** Fraction of eligible records carrying each anomaly type. @default 0.004 */
  readonly anomalyRate?: number;
  /** @default ['USD', 'EUR', 'GBP', 'CAD', 'AUD'] */
  readonly currencies?: readonly string[];
  /** @default the default anomaly config (10,000 / 5 orders / 60 s / 3,600 s) */
  readonly targets?: AnomalyTargets;
}

export const DEFAULT_TARGETS: AnomalyTargets = {
  highAmount: 10_000,
  velocityMaxOrders: 5,
  maxClockSkewSeconds: 60,
  maxLatenessSeconds: 3_600,
};
export const DEFAULT_START_MS = Date.UTC(2026, 10, 2, 8, 0, 0);

type Json = Record<string, unknown>;

/** Generates `count` records (a velocity burst may end a few records past `count`). */
export function generateRecords(options: GeneratorOptions): GeneratedRecord[] {
  const out: GeneratedRecord[] = [];
  for (const r of streamRecords(options)) out.push(r);
  return out;
}

/** The same records as a lazy iterator (for the producer). */
export function* streamRecords(options: GeneratorOptions): Generator<GeneratedRecord> {
  const rng = new Random(options.seed);
  const world = new World(rng, options.currencies ?? ['USD', 'EUR', 'GBP', 'CAD', 'AUD']);
  const t = options.targets ?? DEFAULT_TARGETS;
  const start = options.startMs ?? DEFAULT_START_MS;
  const stepMs = 1000 / (options.ratePerSecond ?? 500);
  const defectRate = options.defectRate ?? 0.05;
  const anomalyRate = options.anomalyRate ?? 0.004;
  const w = { transactions: 40, customers: 15, clickstream: 45, ...options.streamWeights };
  const streams: [StreamName, number][] = [
    ['transactions', w.transactions],
    ['customers', w.customers],
    ['clickstream', w.clickstream],
  ];

  let i = 0;
  while (i < options.count) {
    const arrivalMs = Math.round(start + i * stepMs);
    const normalTime = () => new Date(arrivalMs - rng.int(20, 3_000)).toISOString();
    const stream = rng.weighted(streams);

    // Velocity burst: one customer places more orders than allowed within a few seconds.
    if (stream === 'transactions' && rng.chance(anomalyRate / (t.velocityMaxOrders + 4))) {
      const customer = world.newCustomerId();
      const burst = t.velocityMaxOrders + rng.int(2, 6);
      for (let k = 0; k < burst; k++, i++) {
        const at = Math.round(start + i * stepMs);
        const event = world.orderPlaced(new Date(at - rng.int(20, 3_000)).toISOString(), customer);
        yield valid(stream, customer, event, at, 'velocity');
      }
      continue;
    }

    const event = buildEvent(world, rng, stream, normalTime());
    const key = partitionKey(event);
    i++;
    if (rng.chance(defectRate)) {
      const candidates = defectsFor(stream, event);
      // A wrong-stream defect sends an event of another stream here.
      if (rng.chance(1 / (candidates.length + 1))) {
        const other = streams.map(([s]) => s).filter((s) => s !== stream);
        const foreign = buildEvent(world, rng, rng.pick(other), normalTime());
        yield {
          stream,
          partitionKey: key,
          data: Buffer.from(JSON.stringify(foreign)),
          arrivalMs,
          label: { kind: 'defect', reason: 'wrong_stream' },
        };
        continue;
      }
      const defect = rng.pick(candidates);
      yield {
        stream,
        partitionKey: key,
        data: defect.apply(event, rng, arrivalMs),
        arrivalMs,
        label: { kind: 'defect', reason: defect.reason },
      };
      continue;
    }

    const anomaly = pickAnomaly(rng, event, anomalyRate);
    if (anomaly === 'high_amount' || anomaly === 'amount_outlier') {
      const target =
        anomaly === 'high_amount'
          ? rng.uniform(t.highAmount * 1.05, t.highAmount * 5)
          : rng.uniform(t.highAmount * 0.6, t.highAmount * 0.95);
      const order = world.orderPlaced(event.occurred_at as string, event.customer_id as string, world.basketWorth(target));
      yield valid(stream, key, order, arrivalMs, anomaly);
      continue;
    }
    if (anomaly === 'clock_skew') {
      const ahead = rng.uniform(t.maxClockSkewSeconds + 0.25 * (300 - t.maxClockSkewSeconds), 290);
      event.occurred_at = new Date(arrivalMs + Math.round(ahead * 1000)).toISOString();
    } else if (anomaly === 'late_arrival') {
      const behind = rng.uniform(t.maxLatenessSeconds * 1.5, t.maxLatenessSeconds * 1.5 + 86_400);
      event.occurred_at = new Date(arrivalMs - Math.round(behind * 1000)).toISOString();
      if (event.event_type === 'customer_login') event.last_login = event.occurred_at;
      if (event.event_type === 'customer_registered') event.registration_date = (event.occurred_at as string).slice(0, 10);
    }
    yield valid(stream, key, event, arrivalMs, anomaly);
  }
}

function valid(stream: StreamName, partitionKey: string, event: Json, arrivalMs: number, anomaly?: AnomalyType): GeneratedRecord {
  return {
    stream,
    partitionKey,
    data: Buffer.from(JSON.stringify(event), 'utf8'),
    arrivalMs,
    eventId: event.event_id as string,
    label: anomaly ? { kind: 'valid', anomaly } : { kind: 'valid' },
  };
}

function pickAnomaly(rng: Random, event: Json, rate: number): AnomalyType | undefined {
  const r = rng.next();
  if (event.event_type === 'order_placed') {
    if (r < rate * 2.5) return 'high_amount';
    if (r < rate * 5) return 'amount_outlier';
    if (r < rate * 6) return 'clock_skew';
    if (r < rate * 7) return 'late_arrival';
    return undefined;
  }
  if (r < rate) return 'clock_skew';
  if (r < rate * 2) return 'late_arrival';
  return undefined;
}

function buildEvent(world: World, rng: Random, stream: StreamName, occurredAt: string): Json {
  switch (stream) {
    case 'transactions': {
      const kind = rng.weighted<'order_placed' | 'payment_captured' | 'order_cancelled'>([
        ['order_placed', 60],
        ['payment_captured', 32],
        ['order_cancelled', 8],
      ]);
      const event =
        kind === 'payment_captured'
          ? world.paymentCaptured(occurredAt)
          : kind === 'order_cancelled'
            ? world.orderCancelled(occurredAt)
            : undefined;
      return event ?? world.orderPlaced(occurredAt, world.existingCustomer().id);
    }
    case 'customers': {
      const kind = rng.weighted<'customer_login' | 'customer_registered' | 'customer_updated'>([
        ['customer_login', 70],
        ['customer_registered', 15],
        ['customer_updated', 15],
      ]);
      if (kind === 'customer_registered') return world.customerRegistered(occurredAt);
      return kind === 'customer_updated' ? world.customerUpdated(occurredAt) : world.customerLogin(occurredAt);
    }
    case 'clickstream':
      return world.click(occurredAt);
  }
}

function partitionKey(event: Json): string {
  return String(event.session_id ?? event.customer_id ?? event.order_id ?? event.event_id);
}
