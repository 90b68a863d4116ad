import fc from 'fast-check';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createStreamHandler } from '../../lambda/stream-processor/handler';
import type { StreamLake } from '../../lambda/stream-processor/ports';
import type { StreamZone } from '../../lambda/stream-processor/route';
import { MemoryDocumentStore } from '../../scripts/local/stream/document-stores';
import { CONTRACTS, eventOf, order, SETTINGS, silentLogger } from './fixtures';

/** An in-memory lake whose puts can be made to fail. */
class MemoryLake implements StreamLake {
  public readonly objects = new Map<string, string>();
  public failPut: (key: string) => boolean = () => false;
  public async put(zone: StreamZone, key: string, body: string | Uint8Array): Promise<void> {
    if (this.failPut(`${zone}/${key}`)) throw Object.assign(new Error('throttled'), { name: 'SlowDown' });
    this.objects.set(`${zone}/${key}`, typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
  }
  public async delete(zone: StreamZone, keys: readonly string[]): Promise<void> {
    for (const key of keys) this.objects.delete(`${zone}/${key}`);
  }
  /** Sequence numbers of every record line in the lake (events and quarantine; anomalies are derived data). */
  public sequenceNumbers(): string[] {
    const out: string[] = [];
    for (const [key, body] of this.objects) {
      if (key.startsWith('staging/anomalies/')) continue;
      for (const line of body.split('\n').filter(Boolean)) {
        const row = JSON.parse(line) as { _sequence_number?: string; sequence_number?: string };
        out.push((row._sequence_number ?? row.sequence_number) as string);
      }
    }
    return out.sort();
  }
}

const handlerFor = (lake: MemoryLake) =>
  createStreamHandler({
    settings: SETTINGS,
    contracts: CONTRACTS,
    lake,
    alerts: { publish: async () => undefined },
    outboxStore: new MemoryDocumentStore(),
    metrics: { record: () => undefined },
    logger: silentLogger,
  });

/** Records: arbitrary bytes, arbitrary JSON, and valid orders with arbitrary fields changed. */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .dictionary(
      fc.constantFrom('amount', 'items', 'customer_id', 'occurred_at', 'event_type', 'event_version', 'currency', 'extra'),
      fc.jsonValue(),
      { maxKeys: 3 },
    )
    .map((patch) => Buffer.from(JSON.stringify({ ...order(), ...patch }))),
  fc.constant(Buffer.from(JSON.stringify(order()))),
);

const sorted = (e: KinesisStreamEvent) => e.Records.map((r) => r.kinesis.sequenceNumber).sort();

describe('property: every record is accounted for exactly once', () => {
  test('arbitrary bytes and JSON never crash the handler; each record lands exactly once in staging or quarantine', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(payload, { minLength: 1, maxLength: 60 }), async (payloads) => {
        const lake = new MemoryLake();
        const event = eventOf(payloads);
        const res = await handlerFor(lake)(event);
        expect(res.batchItemFailures).toEqual([]);
        expect(lake.sequenceNumbers()).toEqual(sorted(event));
      }),
      { numRuns: 150 },
    );
  });

  test('with random transient write failures and Lambda-style redelivery, the final lake holds each record exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(payload, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 2 ** 31 }), async (payloads, seed) => {
        const lake = new MemoryLake();
        const handler = handlerFor(lake);
        const event = eventOf(payloads);
        let state = seed;
        const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        let records = event.Records;
        for (let attempt = 0; attempt < 50 && records.length; attempt++) {
          // Fail first-time writes only: rollbacks of this invocation's own objects succeed (see the rollback test).
          const written = new Set<string>();
          lake.failPut = (key) => {
            const fail = attempt < 40 && !written.has(key) && rand() < 0.3;
            if (!fail) written.add(key);
            return fail;
          };
          const { batchItemFailures } = await handler({ Records: records });
          for (const f of batchItemFailures) expect(typeof f.itemIdentifier === 'string' && f.itemIdentifier.length > 0).toBe(true);
          if (!batchItemFailures.length) records = [];
          else records = records.slice(records.findIndex((r) => r.kinesis.sequenceNumber === batchItemFailures[0].itemIdentifier));
        }
        expect(records).toEqual([]);
        expect(lake.sequenceNumbers()).toEqual(sorted(event));
      }),
      { numRuns: 100 },
    );
  });
});
