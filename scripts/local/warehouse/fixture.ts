/**
 * A deterministic fixture dataset for the warehouse (same seed → byte-identical CSVs): one CSV per OLTP table plus
 * the clickstream, in the `make gold` source format. It exercises what the dbt models must get right: several
 * versions per key (late status changes, customer edits), cancelled orders, an order without lines (0.00), orders
 * after the as-of date, e-mails needing trim/lower-casing, invalid and shared e-mails, empty segments, Q4 orders,
 * and customers in every value tier / lifecycle stage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type TableSpec } from '../../../lambda/contracts/table-specs';
import { rng } from '../batch/oltp';

export interface FixtureOptions {
  /** @default 20260630 */
  readonly seed?: number;
  /** @default 240 */
  readonly customers?: number;
  /** @default 48 */
  readonly products?: number;
  /** Reference day the dates are laid out around. @default '2026-06-30' */
  readonly asOfDate?: string;
}

type Value = string | number | null;
type Row = Record<string, Value>;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTs = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const CATEGORIES = ['electronics', 'books', 'home', 'garden', 'toys', 'sports', 'beauty', 'grocery'];
const SEGMENTS = ['premium', 'standard', 'basic', ' Premium ', '', 'STANDARD'];
const STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'delivered', 'delivered', 'returned', 'cancelled'];

export interface FixtureData {
  readonly tables: Readonly<Record<string, Row[]>>;
}

export function generateFixture(options: FixtureOptions = {}): FixtureData {
  const rnd = rng(options.seed ?? 20260630);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const asOf = Date.parse(`${options.asOfDate ?? '2026-06-30'}T00:00:00Z`);
  const nCustomers = options.customers ?? 240;
  const nProducts = options.products ?? 48;

  const products: Row[] = [];
  for (let p = 1; p <= nProducts; p += 1) {
    const id = `P${pad(p, 6)}`;
    const priceCents = int(199, p % 11 === 0 ? 250_000 : 40_000);
    const costCents = Math.floor(priceCents * (0.35 + rnd() * 0.4));
    const base = {
      product_id: id,
      name: `Product ${p}`,
      category: CATEGORIES[p % CATEGORIES.length],
      price: priceCents / 100,
      cost: costCents / 100,
    };
    products.push({ ...base, updated_at: isoTs(asOf - 900 * DAY) });
    if (p % 7 === 0) {
      // A later price change: the latest version wins everywhere.
      products.push({ ...base, price: (priceCents + 500) / 100, updated_at: isoTs(asOf - 30 * DAY) });
    }
  }

  const customers: Row[] = [];
  for (let c = 1; c <= nCustomers; c += 1) {
    const id = `C${pad(c, 8)}`;
    let email = `user${c}@example.com`;
    if (c % 17 === 0) email = `  User${c}@Example.COM `; // valid after trim/lower
    if (c % 29 === 0) email = `user${c}-at-example.com`; // invalid: excluded from customer_360
    if (c % 31 === 0) email = 'shared@example.com'; // shared e-mail: still one row per customer
    if (c % 37 === 0) email = '';
    const registered = asOf - int(60, 1000) * DAY;
    const row: Row = {
      customer_id: id,
      email,
      first_name: `First${c}`,
      last_name: c % 13 === 0 ? `O'Name, ${c}` : `Last${c}`,
      registration_date: isoDate(registered),
      last_login_date: c % 5 === 0 ? '' : isoDate(registered + int(0, 50) * DAY),
      customer_segment: pick(SEGMENTS),
      updated_at: isoTs(registered),
    };
    customers.push(row);
    if (c % 6 === 0) customers.push({ ...row, customer_segment: 'premium', updated_at: isoTs(registered + 20 * DAY) });
  }

  const orders: Row[] = [];
  const items: Row[] = [];
  let orderNo = 0;
  for (let c = 1; c <= nCustomers; c += 1) {
    const customerId = `C${pad(c, 8)}`;
    // Activity profiles spread customers over every lifecycle stage and value tier.
    const profile = c % 10;
    const count = profile === 0 ? 0 : profile === 1 ? int(20, 60) : profile <= 3 ? int(5, 15) : int(1, 6);
    const lastDaysAgo = [0, 3, 20, 45, 75, 120, 200, 300, 500, 800][profile];
    for (let k = 0; k < count; k += 1) {
      orderNo += 1;
      const orderId = `O${pad(orderNo, 10)}`;
      const daysAgo = lastDaysAgo + int(0, 400) * (k === 0 ? 0 : 1);
      const orderTs = asOf - daysAgo * DAY + int(0, DAY / 1000 - 1) * 1000 + (orderNo % 41 === 0 ? 3 * DAY : 0);
      const status = pick(STATUSES);
      const placedAt = isoTs(orderTs);
      const header = { order_id: orderId, customer_id: customerId, order_ts: placedAt, currency: 'USD' };
      const lineCount = orderNo % 53 === 0 ? 0 : int(1, 4);
      const lines: Row[] = [];
      for (let l = 1; l <= lineCount; l += 1) {
        const p = products[int(0, products.length - 1)];
        lines.push({ order_id: orderId, line_no: l, product_id: p.product_id, quantity: int(1, 5), unit_price: p.price });
      }
      if (status === 'placed' || orderNo % 9 !== 0) {
        orders.push({ ...header, status, updated_at: placedAt });
        lines.forEach((li) => items.push({ ...li, updated_at: placedAt }));
      } else {
        // Two versions: placed, then the final status an hour later; the second version drops the last line.
        const later = isoTs(orderTs + 3_600_000);
        orders.push({ ...header, status: 'placed', updated_at: placedAt });
        lines.forEach((li) => items.push({ ...li, updated_at: placedAt }));
        orders.push({ ...header, status, updated_at: later });
        lines.slice(0, Math.max(1, lines.length - 1)).forEach((li) => items.push({ ...li, updated_at: later }));
      }
    }
  }

  const clicks: Row[] = [];
  let eventNo = 0;
  for (let s = 1; s <= 600; s += 1) {
    const sessionId = `S${pad(s, 12)}`;
    const customerId = s % 3 === 0 ? null : `C${pad(int(1, nCustomers), 8)}`;
    let t = asOf - int(0, 27) * DAY + int(0, 80_000) * 1000;
    const depth = rnd();
    const steps: string[] = ['page_view'];
    if (depth > 0.3) steps.push('product_view', 'product_view');
    if (depth > 0.6) steps.push('add_to_cart');
    if (depth > 0.8) steps.push('checkout_started');
    for (const type of steps) {
      eventNo += 1;
      t += int(5, 300) * 1000;
      const product = type === 'product_view' || type === 'add_to_cart' ? `P${pad(int(1, nProducts), 6)}` : null;
      const event: Row = {
        event_id: `00000000-0000-4000-8000-${pad(eventNo, 12)}`,
        event_type: type,
        event_version: 1,
        occurred_at: isoTs(t),
        source: pick(['web', 'mobile']),
        session_id: sessionId,
        customer_id: customerId,
        url: `https://shop.example.com/${type}/${product ?? ''}`,
        referrer: s % 4 === 0 ? 'https://search.example.com/?q=a,b' : null,
        user_agent: 'Mozilla/5.0',
        product_id: product,
        quantity: type === 'add_to_cart' ? int(1, 3) : null,
        cart_value: type === 'checkout_started' ? int(1_000, 90_000) / 100 : null,
        item_count: type === 'checkout_started' ? int(1, 6) : null,
        arrival_time: isoTs(t + 2_000),
      };
      clicks.push(event);
      if (eventNo % 25 === 0) clicks.push({ ...event, arrival_time: isoTs(t + 9_000) }); // at-least-once redelivery
    }
  }
  return { tables: { customers, products, orders, order_items: items, clickstream_events: clicks } };
}

function csvField(v: Value): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(spec: TableSpec, rows: readonly Row[]): string {
  const names = spec.columns.map((c) => c.name);
  return [names.join(','), ...rows.map((r) => names.map((n) => csvField(r[n] ?? null)).join(','))].join('\n') + '\n';
}

/** Writes `<table>.csv` for every OLTP and stream table into `dir`; returns the row counts. */
export function writeFixture(dir: string, options: FixtureOptions = {}): Record<string, number> {
  fs.mkdirSync(dir, { recursive: true });
  const data = generateFixture(options);
  const counts: Record<string, number> = {};
  for (const spec of [...Object.values(TABLE_SPECS), ...Object.values(STREAM_TABLE_SPECS)] as TableSpec[]) {
    const rows = data.tables[spec.name];
    fs.writeFileSync(path.join(dir, `${spec.name}.csv`), toCsv(spec, rows));
    counts[spec.name] = rows.length;
  }
  return counts;
}
