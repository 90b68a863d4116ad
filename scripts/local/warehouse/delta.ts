/**
 * A second, later load for the end-to-end test of incremental behaviour: new versions of some customers (segment
 * change → a second SCD2 row), status changes of some orders (one becomes cancelled, one loses a line), and a new
 * order — as CSVs in the same format as the fixture, every row newer than anything in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type TableSpec } from '../../../lambda/contracts/table-specs';
import { parseCsv } from './csv';
import { toCsv } from './fixture';

export const DELTA_UPDATED_AT = '2026-07-10 09:00:00';

export interface DeltaSummary {
  readonly changedCustomers: string[];
  readonly cancelledOrders: string[];
  readonly shortenedOrders: string[];
  readonly newOrder: string;
}

type R = Record<string, string>;

function read(dir: string, table: string): R[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(path.join(dir, `${table}.csv`), 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function latestBy(rows: Record<string, string>[], key: string): Record<string, string>[] {
  const m = new Map<string, Record<string, string>>();
  for (const r of rows) if (!m.has(r[key]) || r.updated_at > (m.get(r[key]) as Record<string, string>).updated_at) m.set(r[key], r);
  return [...m.values()].sort((a, b) => a[key].localeCompare(b[key]));
}

/** Writes the delta CSVs (all tables; the stream table empty) derived from the fixture in `fixtureDir`. */
export function writeDelta(fixtureDir: string, outDir: string): DeltaSummary {
  fs.mkdirSync(outDir, { recursive: true });
  const customers = latestBy(read(fixtureDir, 'customers'), 'customer_id');
  const orders = latestBy(read(fixtureDir, 'orders'), 'order_id').filter((o) => o.status !== 'cancelled' && o.order_ts < '2026-06-30');
  const items = read(fixtureDir, 'order_items');
  const linesOf = (o: Record<string, string>) => items.filter((i) => i.order_id === o.order_id && i.updated_at === o.updated_at);

  const changed = customers
    .filter((_, i) => i % 20 === 3)
    .map((c): R => ({
      ...c,
      customer_segment: c.customer_segment.trim().toLowerCase() === 'basic' ? 'premium' : 'basic',
      updated_at: DELTA_UPDATED_AT,
    }));
  const multiLine = orders.filter((o) => linesOf(o).length >= 2);
  const cancelled = multiLine.filter((_, i) => i % 40 === 1).map((o): R => ({ ...o, status: 'cancelled', updated_at: DELTA_UPDATED_AT }));
  const shortened = multiLine.filter((_, i) => i % 40 === 2).map((o): R => ({ ...o, status: 'delivered', updated_at: DELTA_UPDATED_AT }));
  const deltaItems: R[] = [
    ...cancelled.flatMap((o) =>
      linesOf(orders.find((x) => x.order_id === o.order_id) as Record<string, string>).map((l) => ({ ...l, updated_at: DELTA_UPDATED_AT })),
    ),
    ...shortened.flatMap((o) =>
      linesOf(orders.find((x) => x.order_id === o.order_id) as Record<string, string>)
        .slice(1)
        .map((l) => ({ ...l, updated_at: DELTA_UPDATED_AT })),
    ),
  ];
  const newOrder: R = {
    order_id: 'O9999999999',
    customer_id: customers[0].customer_id,
    order_ts: '2026-06-29 12:00:00',
    status: 'paid',
    currency: 'USD',
    updated_at: DELTA_UPDATED_AT,
  };
  deltaItems.push({
    order_id: newOrder.order_id,
    line_no: '1',
    product_id: items[0].product_id,
    quantity: '3',
    unit_price: '0.01',
    updated_at: DELTA_UPDATED_AT,
  });

  const tables: Record<string, Record<string, string>[]> = {
    customers: changed,
    products: [],
    orders: [...cancelled, ...shortened, newOrder],
    order_items: deltaItems,
    clickstream_events: [],
  };
  for (const spec of [...Object.values(TABLE_SPECS), ...Object.values(STREAM_TABLE_SPECS)] as TableSpec[]) {
    fs.writeFileSync(path.join(outDir, `${spec.name}.csv`), toCsv(spec, tables[spec.name]));
  }
  return {
    changedCustomers: changed.map((c) => c.customer_id),
    cancelledOrders: cancelled.map((o) => o.order_id),
    shortenedOrders: shortened.map((o) => o.order_id),
    newOrder: newOrder.order_id,
  };
}
