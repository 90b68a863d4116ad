import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { plan, publishMetrics } from '../../lambda/batch/control';
import type { BatchMetricRecord } from '../../lambda/contracts/metrics';
import { createHandler } from '../../lambda/batch/handlers/control';
import { DynamoLeaseStore, LeaseHeld, MemoryLeaseStore } from '../../lambda/batch/leases';
import { MemoryLoadOrderStore } from '../../lambda/batch/load-order';
import { hourlyWindows, windowForScheduledTime, windowId } from '../../lambda/batch/window';

describe('windows', () => {
  test('a scheduled time owns the last full hour before it', () => {
    expect(windowForScheduledTime('2026-06-01T11:05:00Z')).toEqual({ start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' });
    expect(windowForScheduledTime('2026-06-01T00:00:00Z')).toEqual({ start: '2026-05-31T23:00:00.000Z', end: '2026-06-01T00:00:00.000Z' });
    expect(() => windowForScheduledTime('soon')).toThrow(/not an ISO-8601/);
  });
  test('backfill ranges split into hourly windows; ids are stable', () => {
    const ws = hourlyWindows('2026-06-01T22:30:00Z', '2026-06-02T01:00:00Z');
    expect(ws.map(windowId)).toEqual(['20260601T2200', '20260601T2300', '20260602T0000']);
    expect(() => hourlyWindows('2026-06-02T00:00:00Z', '2026-06-01T00:00:00Z')).toThrow(/--to/);
  });
  test('plan accepts the scheduler input or an explicit window, and rejects anything else', () => {
    const p = plan({ scheduledTime: '2026-06-01T11:05:00Z' });
    expect(p).toMatchObject({
      windowId: '20260601t1000',
      asOfDate: '2026-06-01',
      leases: { window: 'window#20260601t1000', warehouse: 'warehouse' },
    });
    expect(p.tables).toEqual(['customers', 'products', 'orders', 'order_items']);
    expect(plan({ window: p.window }).window).toEqual(p.window);
    expect(() => plan({ window: { start: '2026-06-01T10:30:00.000Z', end: '2026-06-01T11:00:00.000Z' } })).toThrow(/whole UTC hours/);
    expect(() => plan({})).toThrow(/scheduledTime/);
  });
});

describe('leases', () => {
  test('memory: exclusive, re-entrant for the owner, released only by the owner, free after expiry', async () => {
    const leases = new MemoryLeaseStore();
    await leases.acquire('window#x', 'exec-1', 60, 0);
    await leases.acquire('window#x', 'exec-1', 60, 1_000);
    await expect(leases.acquire('window#x', 'exec-2', 60, 2_000)).rejects.toBeInstanceOf(LeaseHeld);
    expect(await leases.release('window#x', 'exec-2')).toBe(false);
    await leases.acquire('window#x', 'exec-2', 60, 62_000);
    expect(leases.holder('window#x')).toBe('exec-2');
    expect(await leases.release('window#x', 'exec-2')).toBe(true);
    await leases.acquire('window#x', 'exec-3', 60, 63_000);
  });

  test('dynamodb: a conditional put/delete with the owner and lazy-TTL-safe expiry check', async () => {
    const mock = mockClient(DynamoDBClient);
    mock
      .on(PutItemCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    mock.on(DeleteItemCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const leases = new DynamoLeaseStore(new DynamoDBClient({ region: 'eu-west-1' }), 'leases');
    await leases.acquire('warehouse', 'arn:exec:1', 3600, 1_000_000);
    const put = mock.commandCalls(PutItemCommand)[0].args[0].input;
    expect(put.ConditionExpression).toBe('attribute_not_exists(lease_name) OR expires_at < :now OR #owner = :owner');
    expect(put.Item).toEqual({
      lease_name: { S: 'warehouse' },
      owner: { S: 'arn:exec:1' },
      acquired_at: { N: '1000' },
      expires_at: { N: '4600' },
    });
    await expect(leases.acquire('warehouse', 'arn:exec:2', 3600)).rejects.toMatchObject({ name: 'LeaseHeld' });
    expect(await leases.release('warehouse', 'arn:exec:2')).toBe(false);
    await expect(leases.acquire('Bad Name', 'x', 60)).rejects.toThrow(/must match/);
  });

  test('control handler: acquire / release / publish', async () => {
    const emitted: BatchMetricRecord[] = [];
    const h = createHandler({
      leases: new MemoryLeaseStore(),
      loadOrder: new MemoryLoadOrderStore(new MemoryLeaseStore()),
      leaseTtlSeconds: 60,
      metrics: (r) => void emitted.push(r),
    });
    await h({ action: 'acquire', name: 'warehouse', owner: 'a' });
    await expect(h({ action: 'acquire', name: 'warehouse', owner: 'b' })).rejects.toMatchObject({ name: 'LeaseHeld' });
    expect(await h({ action: 'release', names: ['warehouse', 'window#x'], owner: 'a' })).toEqual({ released: ['warehouse'] });
    await expect(h({ action: 'bogus' })).rejects.toThrow(/invalid event/);
    expect(await h({ action: 'plan', input: { scheduledTime: '2026-06-01T11:05:00Z', extra: 1 } })).toMatchObject({
      windowId: '20260601t1000',
    });
    const window = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
    await h({ action: 'publish', window, loads: [{ table: 'orders', rowsLoaded: 5 }] });
    expect(emitted.map((e) => e.values.RowsLoaded ?? e.values.TotalRowsLoaded)).toEqual([5, 5]);
  });
});

test('published metrics: rows per table, freshness since the window end, a success count', () => {
  const window = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
  const records = publishMetrics(
    {
      window,
      loads: [
        { table: 'orders', rowsLoaded: 3 },
        { table: 'customers', rowsLoaded: 0 },
      ],
    },
    Date.parse('2026-06-01T11:12:30Z'),
  );
  expect(records).toEqual([
    { dimensions: { Table: 'orders' }, values: { RowsLoaded: 3 } },
    { dimensions: { Table: 'customers' }, values: { RowsLoaded: 0 } },
    { dimensions: {}, values: { GoldBuildSucceeded: 1, DataFreshnessMinutes: 12.5, TotalRowsLoaded: 3 } },
  ]);
});
