import type { KinesisStreamEvent } from 'aws-lambda';
import { createEventContracts, type EventOf } from '../../lambda/contracts/events';
import { BENCH_SETTINGS } from '../../scripts/generator/stream-fixture';
import { kinesisEventOf } from '../../scripts/generator/kinesis-event';

/** Helpers shared by the streaming tests. */

export const SETTINGS = BENCH_SETTINGS;
export const CONTRACTS = createEventContracts({ currencies: SETTINGS.currencies });
export const ARRIVAL_MS = Date.UTC(2026, 10, 2, 8, 0, 0);
export const TRANSACTIONS = 'dataflow-bench-transactions';

export function order(overrides: Partial<EventOf<'order_placed'>> & Record<string, unknown> = {}): EventOf<'order_placed'> {
  return {
    event_id: '7f1c6a0e-5a8b-4c1d-9e2f-0a1b2c3d4e5f',
    event_type: 'order_placed',
    event_version: 1,
    occurred_at: '2026-11-02T07:59:58.000Z',
    source: 'web',
    order_id: 'O0000000001',
    customer_id: 'C00000001',
    items: [
      { product_id: 'P000001', quantity: 2, unit_price: 19.99 },
      { product_id: 'P000002', quantity: 1, unit_price: 5.5 },
    ],
    amount: 45.48,
    currency: 'EUR',
    payment_method: 'card',
    status: 'placed',
    ...overrides,
  };
}

/** A Kinesis event of JSON values (or raw buffers) on the transactions stream, arriving at ARRIVAL_MS. */
export function eventOf(payloads: readonly unknown[], firstSequence = 0, streamName = TRANSACTIONS): KinesisStreamEvent {
  return kinesisEventOf(
    payloads.map((p, i) => ({
      data: Buffer.isBuffer(p) ? p : Buffer.from(JSON.stringify(p)),
      arrivalMs: ARRIVAL_MS + i,
      partitionKey: `k${i}`,
    })),
    streamName,
    'shardId-000000000000',
    firstSequence,
  );
}

export const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
