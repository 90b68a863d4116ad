/**
 * Load order of a backfill (lambda/batch/load-order.ts): a window takes the warehouse lease only once its
 * predecessor has loaded; a predecessor still running means wait, one that ended without loading means fail,
 * naming it. The DynamoDB store runs against the fake lease table, the control handler against both stores.
 */
import { plan } from '../../lambda/batch/control';
import { createHandler } from '../../lambda/batch/handlers/control';
import {
  awaitPredecessor,
  DynamoLoadOrderStore,
  LOADED_MARKER_TTL_SECONDS,
  markLoaded,
  MemoryLoadOrderStore,
  type LoadOrderStore,
} from '../../lambda/batch/load-order';
import { DynamoLeaseStore, MemoryLeaseStore } from '../../lambda/batch/leases';
import { synthesizedBatchAsl } from '../../scripts/local/batch/asl';
import { FakeLeaseTable } from '../helpers/fake-lease-table';

const H9 = { start: '2026-06-01T09:00:00.000Z', end: '2026-06-01T10:00:00.000Z' };
const H10 = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
const NOW = Date.parse('2026-06-02T00:00:00Z');

describe('awaitPredecessor', () => {
  const dynamo = () => {
    const table = new FakeLeaseTable();
    return { table, leases: new DynamoLeaseStore(table.client, 'leases'), store: new DynamoLoadOrderStore(table.client, 'leases') };
  };

  test('predecessor running: wait (PredecessorLoading, naming it); loaded: go on; ended without loading: PredecessorNotLoaded', async () => {
    const { leases, store } = dynamo();
    await leases.acquire('window#20260601t0900', 'exec-9', 7_500, NOW);
    await expect(awaitPredecessor(store, '20260601t0900', NOW)).rejects.toMatchObject({
      name: 'PredecessorLoading',
      message: expect.stringContaining('2026-06-01T09:00Z'),
    });
    await markLoaded(store, '20260601t0900', 'exec-9', NOW);
    // Still held: a marker left by an earlier run of that window does not count while it runs again.
    await expect(awaitPredecessor(store, '20260601t0900', NOW)).rejects.toMatchObject({ name: 'PredecessorLoading' });
    await leases.release('window#20260601t0900', 'exec-9');
    await expect(awaitPredecessor(store, '20260601t0900', NOW)).resolves.toBeUndefined();
    await expect(awaitPredecessor(store, '20260601t0800', NOW)).rejects.toMatchObject({
      name: 'PredecessorNotLoaded',
      message: expect.stringMatching(/2026-06-01T08:00Z, did not load the warehouse .*re-run both/),
    });
  });

  test('an expired lease is a predecessor that ended; an expired marker is no load', async () => {
    const { leases, store } = dynamo();
    await leases.acquire('window#20260601t0900', 'exec-9', 60, NOW);
    await expect(awaitPredecessor(store, '20260601t0900', NOW + 61_000)).rejects.toMatchObject({ name: 'PredecessorNotLoaded' });
    await markLoaded(store, '20260601t0800', 'exec-8', NOW);
    await expect(awaitPredecessor(store, '20260601t0800', NOW + LOADED_MARKER_TTL_SECONDS * 1000)).resolves.toBeUndefined();
    await expect(awaitPredecessor(store, '20260601t0800', NOW + (LOADED_MARKER_TTL_SECONDS + 1) * 1000)).rejects.toMatchObject({
      name: 'PredecessorNotLoaded',
    });
  });

  test('the marker is an item of the lease table with an owner and a TTL of days; reads are consistent, lease first', async () => {
    const { table, store } = dynamo();
    await markLoaded(store, '20260601t0900', 'arn:exec:9', NOW);
    expect(table.items.get('loaded#20260601t0900')).toEqual({
      lease_name: { S: 'loaded#20260601t0900' },
      owner: { S: 'arn:exec:9' },
      expires_at: { N: String(NOW / 1000 + 14 * 86_400) },
    });
    await awaitPredecessor(store, '20260601t0900', NOW);
    expect(table.reads).toEqual(['window#20260601t0900', 'loaded#20260601t0900']);
  });

  test('a predecessor that loads and releases between the two reads is never reported as failed', async () => {
    const leases = new MemoryLeaseStore();
    const inner = new MemoryLoadOrderStore(leases);
    await leases.acquire('window#20260601t0900', 'exec-9', 7_500, NOW);
    // The predecessor finishes (marker, then lease released) right after the successor's first read.
    let finished = false;
    const finish = async () => {
      if (finished) return;
      finished = true;
      await markLoaded(inner, '20260601t0900', 'exec-9', NOW);
      await leases.release('window#20260601t0900', 'exec-9');
    };
    const racing: LoadOrderStore = {
      leaseHeld: async (name) => ((await inner.leaseHeld(name)) ? (await finish(), true) : false),
      hasMarker: async (marker, now) => (await inner.hasMarker(marker, now)) || (await finish(), false),
      putMarker: (m, o, e) => inner.putMarker(m, o, e),
    };
    await expect(awaitPredecessor(racing, '20260601t0900', NOW)).rejects.toMatchObject({ name: 'PredecessorLoading' });
    await expect(awaitPredecessor(racing, '20260601t0900', NOW)).resolves.toBeUndefined();
  });
});

describe('control handler', () => {
  test('acquire with `after` takes the lease only once the predecessor loaded; release with `loaded` marks before releasing', async () => {
    const leases = new MemoryLeaseStore();
    const loadOrder = new MemoryLoadOrderStore(leases);
    const h = createHandler({ leases, loadOrder, leaseTtlSeconds: 7_500, metrics: () => undefined });
    await h({ action: 'acquire', name: 'window#20260601t0900', owner: 'exec-9' });
    await expect(h({ action: 'acquire', name: 'warehouse', owner: 'exec-10', after: '20260601t0900' })).rejects.toMatchObject({
      name: 'PredecessorLoading',
    });
    expect(leases.holder('warehouse')).toBeUndefined();
    // The predecessor's happy-path release: the marker is visible the moment its window lease is free.
    const order: string[] = [];
    const spy = {
      leaseHeld: (n: string) => loadOrder.leaseHeld(n),
      hasMarker: (m: string, t: number) => loadOrder.hasMarker(m, t),
      putMarker: async (m: string) => void order.push(`mark ${m}, window lease ${leases.holder('window#20260601t0900') ?? 'free'}`),
    };
    await createHandler({ leases, loadOrder: spy, leaseTtlSeconds: 7_500, metrics: () => undefined })({
      action: 'release',
      names: ['window#20260601t0900'],
      owner: 'exec-9',
      loaded: '20260601t0900',
    });
    expect(order).toEqual(['mark loaded#20260601t0900, window lease exec-9']);
    await h({ action: 'release', names: ['window#20260601t0900'], owner: 'exec-9', loaded: '20260601t0900' });
    expect(await h({ action: 'acquire', name: 'warehouse', owner: 'exec-10', after: '20260601t0900' })).toEqual({
      name: 'warehouse',
      owner: 'exec-10',
    });
    await expect(h({ action: 'acquire', name: 'window#20260601t1100', owner: 'exec-11', after: '20260601t1000' })).rejects.toMatchObject({
      name: 'PredecessorNotLoaded',
    });
    // The hourly schedule's plan has no predecessor: null checks nothing.
    expect(await h({ action: 'acquire', name: 'features#2026-06-01', owner: 'exec-12', after: null })).toEqual({
      name: 'features#2026-06-01',
      owner: 'exec-12',
    });
    await expect(h({ action: 'acquire', name: 'warehouse', owner: 'x', after: '2026-06-01T09:00Z' })).rejects.toThrow(
      /invalid event: after/,
    );
  });
});

describe('plan', () => {
  test('a backfill window names its predecessor; the schedule names none; a predecessor must be earlier', () => {
    expect(plan({ window: H10, predecessor: H9 }).predecessor).toBe('20260601t0900');
    expect(plan({ scheduledTime: '2026-06-01T11:05:00Z' }).predecessor).toBeNull();
    expect(() => plan({ window: H9, predecessor: H10 })).toThrow(/predecessor 2026-06-01T10:00:00.000Z must end by the window's start/);
    expect(() => plan({ window: H10, predecessor: { start: H9.start, end: H10.end } })).toThrow(
      /predecessor\.end: must be exactly one hour/,
    );
  });
});

describe('the synthesized workflow', () => {
  type State = {
    Parameters?: Record<string, unknown>;
    Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }[];
  };
  const states = (() => {
    const out: Record<string, State> = {};
    const visit = (s: Record<string, State & { Branches?: { States: Record<string, State> }[] }>) =>
      Object.entries(s).forEach(([name, state]) => ((out[name] = state), (state.Branches ?? []).forEach((b) => visit(b.States))));
    visit(synthesizedBatchAsl('dev').States as never);
    return out;
  })();

  test('the warehouse lease waits for the predecessor each minute, for the timeout less 30 minutes', () => {
    expect(states['Acquire warehouse lease'].Parameters).toMatchObject({ 'after.$': '$.plan.predecessor' });
    expect(states['Acquire warehouse lease'].Retry?.find((r) => r.ErrorEquals.includes('PredecessorLoading'))).toEqual({
      ErrorEquals: ['PredecessorLoading'],
      IntervalSeconds: 60,
      MaxAttempts: 90,
      BackoffRate: 1,
    });
    expect(states['Acquire window lease'].Parameters).not.toHaveProperty('after.$');
  });

  test('only the release after a built warehouse records the load', () => {
    expect(states['Release leases'].Parameters).toMatchObject({ 'loaded.$': '$.plan.windowId' });
    expect(states['Release leases after failure'].Parameters).not.toHaveProperty('loaded.$');
  });
});
