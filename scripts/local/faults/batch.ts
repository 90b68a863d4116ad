/**
 * Batch fault scenarios (`make chaos` and test/batch/batch-faults.test.ts). They share one local lake and warehouse
 * (batch-campaign.ts), run once, in this order:
 *
 *   H0 10:00   on-time clickstream events, then the window's run
 *   late       events that occurred in H0 but arrive at 11:10 (filed under 11:00), and events that arrived at 10:59
 *              but are written by a lagging processor after H0's run (filed under 10:00)
 *   H1 11:00   the window's run, then dbt build
 *   re-run     H0 again
 *   H0 − 5 h   a quality-gate attempt crashes after writing its parts (and leaves an extra part of rows no longer in
 *              the source) before its report and manifest; then the window's run   ← back-fill, out of order
 *   H0 − 50 h  a conform attempt crashed before its summary, leaving a Parquet part and COPY manifest of rows no longer
 *              in the source; then the window's run                                ← back-fill, 50 h old
 *   dbt build  (incremental)
 *
 * Each row compares the warehouse (DuckDB bronze / gold) with the generated input: records in, distinct records in the
 * warehouse, quarantined, duplicated (warehouse rows beyond one per input record, leftover rows included), lost.
 */
import { gzipSync } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LakeStore } from '../../../lambda/contracts/lake';
import type { BatchWindow } from '../../../lambda/batch/window';
import type { GeneratedRecord } from '../../generator';
import { partitionPrefix } from '../../../lambda/contracts/lake-keys';
import type { SourceRow } from '../batch/oltp';
import { clickstream, H0, prepareCampaign, windowAt, type Campaign } from './batch-campaign';
import type { FaultRow, FaultScenario } from './types';

const HOUR = 3_600_000;
const W0 = windowAt(H0);
const W1 = windowAt(H0 + HOUR);
const W5 = windowAt(H0 - 5 * HOUR);
const W50 = windowAt(H0 - 50 * HOUR);

const at = (records: readonly GeneratedRecord[], arrivalMs: (i: number) => number) =>
  records.map((r, i) => ({ ...r, arrivalMs: arrivalMs(i) }));
const ids = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ') || `''`;
const pgTs = (iso: string) => iso.replace('T', ' ').replace('Z', '');

/** Order ids the extract of these windows reads (version in [start − overlap, end)). */
function ordersOf(c: Campaign, windows: readonly BatchWindow[]): string[] {
  const inRange = (r: SourceRow) =>
    windows.some(
      (w) => r.updated_at! >= pgTs(new Date(Date.parse(w.start) - c.overlapMinutes * 60_000).toISOString()) && r.updated_at! < pgTs(w.end),
    );
  return c.oltp.orders.filter(inRange).map((r) => r.order_id!);
}

function eventIdOf(r: GeneratedRecord): string | undefined {
  try {
    const id = r.eventId ?? (JSON.parse(r.data.toString('utf8')) as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined; // not JSON: quarantined as such
  }
}

/** Phantom orders (ids no source row has) as a crashed attempt's leftovers would carry. */
const phantoms = (n: number) => Array.from({ length: n }, (_, i) => `O9${String(i).padStart(9, '0')}`);

/**
 * `expected`: the keys of the input's records that should reach `table`; `extra`: keys only leftovers carry;
 * `recordsIn` / `quarantined` default to the expected records / none.
 */
async function tally(
  c: Campaign,
  scenario: string,
  table: string,
  key: string,
  expected: readonly string[],
  extra: readonly string[],
  counts?: { recordsIn: number; quarantined: number },
): Promise<FaultRow> {
  const [row] = await c.query(
    `SELECT count(DISTINCT ${key}) FILTER (WHERE ${key} IN (${ids([...expected])}))::INT AS present, count(*)::INT AS total FROM ${table} WHERE ${key} IN (${ids([...expected, ...extra])})`,
  );
  const present = Number(row.present);
  const { recordsIn, quarantined } = counts ?? { recordsIn: expected.length, quarantined: 0 };
  return {
    scenario,
    recordsIn,
    inWarehouse: present,
    quarantined,
    duplicated: Number(row.total) - present,
    lost: recordsIn - quarantined - present,
  };
}

interface Outcome {
  readonly rows: Record<string, FaultRow>;
  /** Leftover files a complete run must have deleted, and whether they still exist. */
  readonly leftoversRemaining: string[];
  /** dbt builds that failed (models or tests), with dbt's output. */
  readonly buildFailures: string[];
}

async function runCampaign(log: (line: string) => void): Promise<Outcome> {
  const c = await prepareCampaign(log);
  const rows: Record<string, FaultRow> = {};
  const buildFailures: string[] = [];
  const build = async () => {
    const failure = await c.build();
    if (failure !== undefined) buildFailures.push(failure);
  };

  // H0 with on-time events; then late events of two kinds; then H1.
  const onTime = clickstream(1, 60, H0 + 10 * 60_000);
  await c.stream(onTime, 0);
  await c.runWindow(W0);
  const lateByArrival = at(clickstream(2, 60, H0 + 20 * 60_000), (i) => H0 + 70 * 60_000 + i * 1_000);
  const laggingProcessor = at(clickstream(3, 60, H0 + 50 * 60_000), (i) => H0 + 59 * 60_000 + i * 500);
  await c.stream(lateByArrival, 1_000);
  await c.stream(laggingProcessor, 2_000);
  await c.runWindow(W1);
  await build();
  const events = [...onTime, ...lateByArrival, ...laggingProcessor];
  // Every event id sent (invalid records carry none, or one the warehouse must not hold twice either).
  const sent = [...new Set(events.map(eventIdOf).filter((x): x is string => x !== undefined))];
  rows.late = await tally(c, 'late arrival across the window boundary', 'bronze.clickstream_events', 'event_id', sent, [], {
    recordsIn: events.length,
    quarantined: c.quarantinedStreamLines(),
  });

  // Re-run of H0.
  await c.runWindow(W0);

  // H0 − 5 h: the quality gate of orders crashes after its parts, next to a part of rows the source no longer has.
  const gateLeftover = `${partitionPrefix({ source: 'oltp', entity: 'orders', time: new Date(W5.start) })}orders-00009.ndjson.gz`;
  const gatePhantoms = phantoms(5);
  const template = c.oltp.orders.find((o) => o.order_id!.startsWith('O2'))!;
  await c.store.put(
    'staging',
    gateLeftover,
    gzipSync(
      gatePhantoms
        .map((id) =>
          JSON.stringify({
            ...template,
            order_id: id,
            order_ts: template.order_ts!.replace(' ', 'T') + 'Z',
            updated_at: template.updated_at!.replace(' ', 'T') + 'Z',
          }),
        )
        .join('\n') + '\n',
    ),
  );
  const crashing = Object.create(c.store) as LakeStore;
  crashing.put = async (zone, key, body) => {
    if (key.endsWith('.json') && key.includes('/orders/')) throw new Error('Lambda timed out');
    return c.store.put(zone, key, body);
  };
  await c.runWindow(W5, { qualityStore: crashing }).then(
    () => {
      throw new Error('the crashing quality gate did not crash');
    },
    (err: Error) => log(`  quality gate crashed as injected: ${err.message}`),
  );
  await c.runWindow(W5);

  // H0 − 50 h: a conform attempt died before its summary, leaving Parquet of rows the source no longer has.
  const conformed = path.join(c.lakeDir, 'staging', partitionPrefix({ source: 'conformed', entity: 'orders', time: new Date(W50.start) }));
  const conformLeftover = path.join(conformed, 'part-00000-crashed.parquet');
  const conformPhantoms = phantoms(12).slice(5);
  fs.mkdirSync(conformed, { recursive: true });
  await c.query(
    `COPY (SELECT p.order_id, o.customer_id, o.order_ts, o.status, o.currency, o.updated_at FROM (SELECT unnest([${ids(conformPhantoms)}]) AS order_id) p
      CROSS JOIN (SELECT * FROM bronze.orders LIMIT 1) o) TO '${conformLeftover}' (FORMAT parquet)`,
  );
  await c.store.put(
    'staging',
    `${partitionPrefix({ source: 'manifests', entity: 'orders', time: new Date(W50.start) })}manifest.json`,
    JSON.stringify({
      entries: [{ url: `file:${conformLeftover}`, mandatory: true, meta: { content_length: fs.statSync(conformLeftover).size } }],
    }),
  );
  await c.runWindow(W50);
  await build();

  rows.rerun = await tally(c, 're-run of a window', 'gold.fct_orders', 'order_id', ordersOf(c, [W0, W1]), []);
  rows.backfill = await tally(
    c,
    'out-of-order back-fill incl. a 50 h old window',
    'gold.fct_orders',
    'order_id',
    ordersOf(c, [W5, W50]),
    [],
  );
  rows.gateCrash = await tally(
    c,
    'crash after quality-gate parts before its manifest',
    'bronze.orders',
    'order_id',
    ordersOf(c, [W5]),
    gatePhantoms,
  );
  rows.conformCrash = await tally(
    c,
    'crash in conform before its manifest',
    'bronze.orders',
    'order_id',
    ordersOf(c, [W50]),
    conformPhantoms,
  );
  await c.runner.close();
  const leftoversRemaining = [path.join(c.lakeDir, 'staging', gateLeftover), conformLeftover].filter((f) => fs.existsSync(f));
  return { rows, leftoversRemaining, buildFailures };
}

let campaign: Promise<Outcome> | undefined;
/** The shared campaign (run on first use). */
export function batchCampaign(log: (line: string) => void = () => undefined): Promise<Outcome> {
  return (campaign ??= runCampaign(log));
}

const scenario = (name: string, key: string): FaultScenario => ({
  name,
  area: 'batch',
  run: async () => (await batchCampaign()).rows[key],
});

export const batchScenarios: FaultScenario[] = [
  scenario('late arrival across the window boundary', 'late'),
  scenario('re-run of a window', 'rerun'),
  scenario('out-of-order back-fill incl. a 50 h old window', 'backfill'),
  scenario('crash after quality-gate parts before its manifest', 'gateCrash'),
  scenario('crash in conform before its manifest', 'conformCrash'),
];
