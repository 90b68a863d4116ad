import type { KinesisStreamEvent } from 'aws-lambda';
import { resolveStream } from '../../lambda/stream-processor/handler';
import { transactionsBatch } from '../../scripts/generator/stream-fixture';
import { eventOf, order, SETTINGS } from './fixtures';
import { BUCKETS, mockedLake, throttled, type MockedLake } from './lake-mock';

let lake: MockedLake;
beforeEach(() => {
  lake = mockedLake();
});
afterEach(() => lake.restore());

/** Redelivers from the lowest reported sequence number until the batch succeeds, as Lambda does. */
async function deliverUntilDone(event: KinesisStreamEvent, maxAttempts = 10): Promise<number> {
  let records = event.Records;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { batchItemFailures } = await lake.handler({ Records: records });
    if (batchItemFailures.length === 0) return attempt;
    for (const f of batchItemFailures) expect(records.some((r) => r.kinesis.sequenceNumber === f.itemIdentifier)).toBe(true);
    const lowest = records.findIndex((r) => r.kinesis.sequenceNumber === batchItemFailures[0].itemIdentifier);
    records = records.slice(lowest);
  }
  throw new Error('batch never succeeded');
}

describe('stream handler on S3/SNS (aws-sdk-client-mock)', () => {
  test('routes valid events, quarantined records and anomalies to their deterministic keys', async () => {
    const bad = Buffer.from('{"event_type":');
    const high = order({
      event_id: '0f1c6a0e-5a8b-4c1d-9e2f-0a1b2c3d4e5f',
      items: [{ product_id: 'P000009', quantity: 1, unit_price: 12_000 }],
      amount: 12_000,
    });
    const res = await lake.handler(eventOf([order(), bad, high]));
    expect(res).toEqual({ batchItemFailures: [] });
    const keys = [...lake.objects.keys()].filter((k) => !k.startsWith(`${BUCKETS.staging}/alerts/`)).sort();
    expect(keys).toEqual([
      `${BUCKETS.quarantine}/stream/transactions/reason=invalid_json/dt=2026-11-02/hr=08/shardId-000000000000-49590000001000000000000001-49590000001000000000000001.ndjson`,
      `${BUCKETS.staging}/anomalies/high_amount/dt=2026-11-02/hr=07/shardId-000000000000-49590000001000000000000002-49590000001000000000000002.ndjson`,
      `${BUCKETS.staging}/stream/order_placed/dt=2026-11-02/hr=08/shardId-000000000000-49590000001000000000000000-49590000001000000000000002.ndjson`,
    ]);
    const [first] = lake.lines(BUCKETS.staging, 'stream/');
    expect(JSON.parse(first)).toEqual({
      ...order(),
      _shard_id: 'shardId-000000000000',
      _sequence_number: '49590000001000000000000000',
      _arrival_time: '2026-11-02T08:00:00.000Z',
    });
    const [q] = lake.lines(BUCKETS.quarantine, 'stream/');
    expect(JSON.parse(q)).toMatchObject({
      reason: 'invalid_json',
      raw_base64: bad.toString('base64'),
      shard_id: 'shardId-000000000000',
      sequence_number: '49590000001000000000000001',
      arrival_time: '2026-11-02T08:00:00.001Z',
      stream: 'transactions',
    });
    expect(JSON.parse(q).issues).toEqual([{ path: '', code: 'invalid_json', message: expect.any(String) }]);
    const [a] = lake.lines(BUCKETS.staging, 'anomalies/');
    expect(JSON.parse(a)).toMatchObject({ anomaly_type: 'high_amount', event_id: high.event_id, score: 12_000, threshold: 10_000 });
  });

  test('one SNS summary per batch with anomalies, none without', async () => {
    await lake.handler(eventOf([order(), order()]));
    expect(lake.published).toHaveLength(0);
    const batch = transactionsBatch(2_000);
    await lake.handler(batch);
    expect(lake.published).toHaveLength(1);
    const summary = JSON.parse(lake.published[0].message);
    const found = lake.lines(BUCKETS.staging, 'anomalies/').length;
    expect(found).toBeGreaterThan(1);
    expect(summary.anomalies).toBe(found);
    expect(summary.examples.length).toBeLessThanOrEqual(10);
    expect(lake.published[0].subject.length).toBeLessThanOrEqual(100);
  });

  test('metrics report what was committed: in = valid + quarantined, by reason and type', async () => {
    const batch = transactionsBatch(1_000);
    await lake.handler(batch);
    const [r] = lake.reports;
    expect(r.recordsIn).toBe(1_000);
    expect(r.valid + r.quarantined).toBe(1_000);
    expect(Object.values(r.quarantinedByReason).reduce((a, b) => a + b, 0)).toBe(r.quarantined);
    expect(r.valid).toBe(lake.lines(BUCKETS.staging, 'stream/').length);
    expect(r.quarantined).toBe(lake.lines(BUCKETS.quarantine, 'stream/').length);
    expect(r.retried).toBe(0);
  });

  test('a retried batch overwrites the same keys instead of duplicating', async () => {
    const batch = transactionsBatch(500);
    await lake.handler(batch);
    const first = new Map(lake.objects);
    await lake.handler(batch);
    expect(lake.objects).toEqual(first);
  });

  test('an empty event does nothing', async () => {
    expect(await lake.handler({ Records: [] })).toEqual({ batchItemFailures: [] });
    expect(lake.objects.size).toBe(0);
  });

  test('an unconfigured source stream fails the invocation (a deployment error, not data)', async () => {
    await expect(lake.handler(eventOf([order()], 0, 'someone-elses-stream'))).rejects.toThrow(/not a configured stream/);
    expect(() => resolveStream('arn:aws:kinesis:eu-west-1:1:stream/dataflow-bench-customers', SETTINGS.streams)).not.toThrow();
  });
});

describe('fault injection', () => {
  test('S3 throttling mid-batch, then redelivery from the lowest failed sequence number: every valid event present once, nothing lost', async () => {
    const batch = transactionsBatch(2_000);
    let puts = 0;
    lake.failS3 = (cmd) => (cmd === 'put' && ++puts % 3 === 0 && puts < 12 ? throttled() : undefined);
    const first = await lake.handler(batch);
    expect(first.batchItemFailures.length).toBeGreaterThan(0);
    // Exactly the records from the lowest affected one onward are reported, each a real sequence number.
    const lowest = batch.Records.findIndex((r) => r.kinesis.sequenceNumber === first.batchItemFailures[0].itemIdentifier);
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(batch.Records.slice(lowest).map((r) => r.kinesis.sequenceNumber));
    // Before redelivery the lake holds exactly the records below the lowest failure.
    const committed = [...lake.lines(BUCKETS.staging, 'stream/'), ...lake.lines(BUCKETS.quarantine, 'stream/')];
    expect(committed).toHaveLength(lowest);

    await deliverUntilDone({ Records: batch.Records.slice(lowest) });
    const staged = lake.lines(BUCKETS.staging, 'stream/').map((l) => JSON.parse(l).event_id as string);
    const quarantined = lake.lines(BUCKETS.quarantine, 'stream/');
    expect(new Set(staged).size).toBe(staged.length);
    expect(staged.length + quarantined.length).toBe(2_000);
    const baseline = mockedLake();
    await baseline.handler(batch);
    expect(staged.sort()).toEqual(
      baseline
        .lines(BUCKETS.staging, 'stream/')
        .map((l) => JSON.parse(l).event_id)
        .sort(),
    );
    baseline.restore();
  });

  test('redelivery with more records than the first attempt (Lambda re-reads from the checkpoint) still yields each event once', async () => {
    const batch = transactionsBatch(1_500);
    const head = { Records: batch.Records.slice(0, 1_000) };
    let calls = 0;
    lake.failS3 = (cmd) => (cmd === 'put' && ++calls === 2 ? throttled() : undefined);
    const res = await lake.handler(head);
    const lowest = batch.Records.findIndex((r) => r.kinesis.sequenceNumber === res.batchItemFailures[0].itemIdentifier);
    await deliverUntilDone({ Records: batch.Records.slice(lowest) });
    const staged = lake.lines(BUCKETS.staging, 'stream/').map((l) => JSON.parse(l).event_id as string);
    expect(new Set(staged).size).toBe(staged.length);
    expect(staged.length + lake.lines(BUCKETS.quarantine, 'stream/').length).toBe(1_500);
  });

  test('SNS down: the whole batch is committed at once; the alert waits in the outbox and is sent once by a later invocation', async () => {
    const batch = transactionsBatch(1_000);
    lake.failSns = () => Object.assign(new Error('SNS unavailable'), { name: 'InternalErrorException' });
    const first = await lake.handler(batch);
    expect(first.batchItemFailures).toEqual([]);
    const staged = lake.lines(BUCKETS.staging, 'stream/').length;
    expect(staged + lake.lines(BUCKETS.quarantine, 'stream/').length).toBe(1_000);
    const anomalies = lake.lines(BUCKETS.staging, 'anomalies/').length;
    expect(anomalies).toBeGreaterThan(0);
    expect(lake.reports[0]).toMatchObject({ alertFailures: 1, alertsDeferred: anomalies, retried: 0 });
    expect(lake.lines(BUCKETS.staging, 'alerts/pending/')).toEqual([]);
    expect([...lake.objects.keys()].filter((k) => k.startsWith(`${BUCKETS.staging}/alerts/pending/`))).toHaveLength(1);

    // SNS is back: the next invocation (here an unrelated batch without anomalies) sweeps the outbox.
    lake.failSns = () => undefined;
    await lake.handler(eventOf([order()], 5_000));
    expect(lake.published).toHaveLength(1);
    expect(JSON.parse(lake.published[0].message).anomalies).toBe(anomalies);
    expect(lake.reports[1]).toMatchObject({ alertOutboxDepth: 1, alertsDeferred: 0 });
    expect([...lake.objects.keys()].filter((k) => k.startsWith(`${BUCKETS.staging}/alerts/pending/`))).toEqual([]);

    // A redelivery of the same records announces nothing again.
    await lake.handler(batch);
    expect(lake.published).toHaveLength(1);
  });

  test('a summary is retried before it is deferred: one SNS failure costs nothing', async () => {
    let calls = 0;
    lake.failSns = () => (++calls === 1 ? Object.assign(new Error('throttled'), { name: 'ThrottledException' }) : undefined);
    await lake.handler(transactionsBatch(1_000));
    expect(lake.published).toHaveLength(1);
    expect(lake.reports[0]).toMatchObject({ alertFailures: 0, alertsDeferred: 0 });
  });

  test('the outbox itself not writable: the records from the first anomaly are redelivered, their data already committed', async () => {
    const batch = transactionsBatch(1_000);
    lake.failS3 = (cmd, key) => (key.startsWith('alerts/') && cmd === 'put' ? throttled() : undefined);
    const res = await lake.handler(batch);
    expect(res.batchItemFailures.length).toBeGreaterThan(0);
    expect(lake.lines(BUCKETS.staging, 'stream/').length + lake.lines(BUCKETS.quarantine, 'stream/').length).toBe(1_000);
    lake.failS3 = () => undefined;
    await deliverUntilDone({ Records: batch.Records.slice(batch.Records.length - res.batchItemFailures.length) });
    expect(JSON.parse(lake.published[0].message).anomalies).toBeGreaterThan(0);
  });

  test('an ambiguous PUT (stored, reported failed) is rolled back like any failed write', async () => {
    const batch = transactionsBatch(1_000);
    let puts = 0;
    lake.ambiguousPut = (key) => key.startsWith('stream/') && ++puts === 1;
    const res = await lake.handler(batch);
    const lowest = batch.Records.length - res.batchItemFailures.length;
    expect([...lake.lines(BUCKETS.staging, 'stream/'), ...lake.lines(BUCKETS.quarantine, 'stream/')]).toHaveLength(lowest);
    lake.ambiguousPut = () => false;
    await deliverUntilDone({ Records: batch.Records.slice(lowest) });
    const staged = lake.lines(BUCKETS.staging, 'stream/');
    expect(new Set(staged.map((l) => JSON.parse(l).event_id)).size).toBe(staged.length);
    expect(staged.length + lake.lines(BUCKETS.quarantine, 'stream/').length).toBe(1_000);
  });

  test('a failed rollback is reported (possible duplicates) but never loses records', async () => {
    const batch = transactionsBatch(1_000);
    let puts = 0;
    lake.failS3 = (cmd) => {
      if (cmd === 'put') puts++;
      return (cmd === 'put' && puts === 2) || cmd === 'delete' || (cmd === 'put' && puts > 20 && puts < 40) ? throttled() : undefined;
    };
    const res = await lake.handler(batch);
    expect(res.batchItemFailures.length).toBeGreaterThan(0);
    expect(lake.reports[0].compensationFailures).toBeGreaterThan(0);
    lake.failS3 = () => undefined;
    const lowest = batch.Records.findIndex((r) => r.kinesis.sequenceNumber === res.batchItemFailures[0].itemIdentifier);
    await deliverUntilDone({ Records: batch.Records.slice(lowest) });
    const ids = new Set(lake.lines(BUCKETS.staging, 'stream/').map((l) => JSON.parse(l).event_id as string));
    const quarantinedSeqs = new Set(lake.lines(BUCKETS.quarantine, 'stream/').map((l) => JSON.parse(l).sequence_number as string));
    expect(ids.size + quarantinedSeqs.size).toBe(1_000);
  });
});
