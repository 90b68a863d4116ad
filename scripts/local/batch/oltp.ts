/**
 * The local OLTP source of the hourly batch: DDL derived from the shared table specs, and a deterministic (seeded)
 * generator of customers, products, orders and order lines whose `updated_at` is spread around one batch window,
 * with late updates (old orders changed now) and labelled defects the quality gate must catch.
 *
 * The source is a legacy OLTP database: it has primary keys but no NOT NULL / foreign-key constraints, which is
 * exactly why the batch has a quality gate.
 */
import type { Client } from 'pg';
import { OLTP_TABLES, TABLE_SPECS, type ColumnSpec, type OltpTableName } from '../../../lambda/contracts/table-specs';

/** Postgres type of a table-spec column. */
export function pgType(column: ColumnSpec): string {
  const t = column.type;
  switch (t.kind) {
    case 'varchar':
      return `varchar(${t.length})`;
    case 'char':
      return `char(${t.length})`;
    case 'decimal':
      return `numeric(${t.precision},${t.scale})`;
    case 'timestamp':
      return 'timestamp';
    default:
      return t.kind;
  }
}

/** Columns stored on the table itself (derived columns are joined in by the extract). */
export function storedColumns(table: OltpTableName): readonly ColumnSpec[] {
  return (TABLE_SPECS[table].columns as readonly ColumnSpec[]).filter((c) => c.derivedFrom === undefined);
}

/** Creates (or recreates) the OLTP tables from the table specs. */
export async function createOltpSchema(client: Client): Promise<void> {
  for (const table of [...OLTP_TABLES].reverse()) await client.query(`DROP TABLE IF EXISTS ${table}`);
  for (const table of OLTP_TABLES) {
    const spec = TABLE_SPECS[table];
    const cols = storedColumns(table).map((c) => `  ${c.name} ${pgType(c)}`);
    await client.query(`CREATE TABLE ${table} (\n${cols.join(',\n')},\n  PRIMARY KEY (${spec.primaryKey.join(', ')})\n)`);
    if (storedColumns(table).some((c) => c.name === spec.versionColumn)) {
      await client.query(`CREATE INDEX ${table}_version_idx ON ${table} (${spec.versionColumn})`);
    }
  }
}

/** A row as text values (NULL = null), in stored-column order. */
export type SourceRow = Record<string, string | null>;

/** Inserts rows in batches through `unnest` (one round trip per 5,000 rows). */
export async function insertRows(client: Client, table: OltpTableName, rows: readonly SourceRow[]): Promise<void> {
  const cols = storedColumns(table);
  const list = cols.map((c) => c.name).join(', ');
  const params = cols.map((c, i) => `$${i + 1}::${pgType(c)}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${list}) SELECT * FROM unnest(${params})`;
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    await client.query(
      sql,
      cols.map((c) => chunk.map((r) => r[c.name] ?? null)),
    );
  }
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OltpGeneratorOptions {
  readonly seed?: number;
  /** Start of the batch window the data is centred on (an hour boundary). */
  readonly windowStart: Date;
  readonly customers?: number;
  readonly products?: number;
  readonly orders?: number;
  /** Fraction of rows given an injected defect (each labelled). @default 0.02 */
  readonly defectRate?: number;
}

/** Labels of injected defects: which row, which reason the gate must report. */
export interface InjectedDefect {
  readonly table: OltpTableName;
  readonly key: string;
  readonly defect: string;
}

export interface GeneratedOltp {
  readonly rows: Record<OltpTableName, SourceRow[]>;
  readonly defects: InjectedDefect[];
}

const CATEGORIES = ['electronics', 'books', 'home', 'garden', 'toys', 'sports', 'beauty', 'grocery', 'fashion', 'music'];
const STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'delivered', 'delivered', 'returned', 'cancelled'];
const SEGMENTS = ['premium', 'standard', 'standard', 'basic', 'basic', '', null];
const FIRST = ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kemi', 'Lars'];
const LAST = ['Ng', 'Okafor', 'Silva', 'Meyer', 'Kowalski', 'Haddad', 'Novak', 'Sato', 'Ruiz', 'Berg'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Generates one OLTP state around one window. Customers and products change inside the window or its 10-minute
 * overlap (late commits the overlap re-reads); orders too, except ~12% changed an hour before or after the window
 * (not extracted). Order dates span the two years before the window, so an old order updated now is a late update.
 * Defects are injected on customers and products nothing references (the last 10%) and on orders: an orphan order
 * has no lines, an order with an unknown status keeps its lines, which the quality gate quarantines with it
 * (`parent_quarantined`), so the demo shows the cascade while referential integrity stays above its threshold.
 */
export function generateOltp(options: OltpGeneratorOptions): GeneratedOltp {
  const r = rng(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const start = options.windowStart.getTime();
  const defectRate = options.defectRate ?? 0.02;
  const defects: InjectedDefect[] = [];
  const nCustomers = options.customers ?? 2_000;
  const nProducts = options.products ?? 200;
  const nOrders = options.orders ?? 5_000;
  const inWindow = () => (r() < 0.9 ? ts(start + Math.floor(r() * HOUR)) : ts(start - Math.floor(r() * 10 * 60_000) - 1));
  const updatedAt = () => {
    const u = r();
    if (u < 0.88) return inWindow();
    if (u < 0.94) return ts(start - 2 * HOUR + Math.floor(r() * HOUR));
    return ts(start + HOUR + Math.floor(r() * HOUR));
  };
  const referenced = (n: number) => Math.max(1, Math.floor(n * 0.9));
  const defect = () => r() < defectRate;

  const customers: SourceRow[] = [];
  for (let i = 1; i <= nCustomers; i++) {
    const id = `C${pad(i, 8)}`;
    const first = pick(FIRST);
    const last = pick(LAST);
    const reg = start - Math.floor(r() * 900 * DAY) - DAY;
    const row: SourceRow = {
      customer_id: id,
      email: r() < 0.05 ? `  ${first}.${last}${i}@Example.COM ` : `${first}.${last}${i}@example.com`.toLowerCase(),
      first_name: first,
      last_name: last,
      registration_date: day(reg),
      last_login_date: r() < 0.9 ? day(reg + Math.floor(r() * (start - reg))) : null,
      customer_segment: pick(SEGMENTS),
      updated_at: inWindow(),
    };
    if (i > referenced(nCustomers) && defect()) {
      row.registration_date = null;
      defects.push({ table: 'customers', key: id, defect: 'missing_required' });
    }
    customers.push(row);
  }

  const products: SourceRow[] = [];
  for (let i = 1; i <= nProducts; i++) {
    const id = `P${pad(i, 6)}`;
    const price = 2 + Math.floor(r() * 50_000) / 100;
    const row: SourceRow = {
      product_id: id,
      name: `${pick(CATEGORIES)} item ${i}`,
      category: pick(CATEGORIES),
      price: price.toFixed(2),
      cost: (price * (0.4 + r() * 0.4)).toFixed(2),
      updated_at: inWindow(),
    };
    if (i > referenced(nProducts) && defect()) {
      row.price = (-price).toFixed(2);
      defects.push({ table: 'products', key: id, defect: 'invalid_value' });
    }
    products.push(row);
  }

  const orders: SourceRow[] = [];
  const items: SourceRow[] = [];
  for (let i = 1; i <= nOrders; i++) {
    const id = `O${pad(i, 10)}`;
    const orderTs = start - Math.floor(r() ** 2 * 730 * DAY);
    const row: SourceRow = {
      order_id: id,
      customer_id: `C${pad(1 + Math.floor(r() ** 1.5 * referenced(nCustomers)), 8)}`,
      order_ts: ts(orderTs),
      status: pick(STATUSES),
      currency: pick(['USD', 'USD', 'EUR', 'GBP']),
      updated_at: updatedAt(),
    };
    if (row.updated_at! < row.order_ts!) row.updated_at = row.order_ts;
    let lines = 1 + Math.floor(r() * 4);
    if (defect()) {
      row.customer_id = `C${pad(90_000_000 + i, 8)}`;
      defects.push({ table: 'orders', key: id, defect: 'orphan_reference' });
      lines = 0;
    }
    const invalidOrder = lines > 0 && defect();
    if (invalidOrder) {
      row.status = 'lost_in_space';
      defects.push({ table: 'orders', key: id, defect: 'invalid_value' });
    }
    orders.push(row);
    for (let line = 1; line <= lines; line++) {
      const product = 1 + Math.floor(r() * referenced(nProducts));
      const item: SourceRow = {
        order_id: id,
        line_no: String(line),
        product_id: `P${pad(product, 6)}`,
        quantity: String(1 + Math.floor(r() ** 3 * 5)),
        unit_price: (1 + Math.floor(r() * 30_000) / 100).toFixed(2),
      };
      if (defect()) {
        item.quantity = '0';
        defects.push({ table: 'order_items', key: `${id}|${line}`, defect: 'invalid_value' });
      } else if (invalidOrder) {
        defects.push({ table: 'order_items', key: `${id}|${line}`, defect: 'parent_quarantined' });
      }
      items.push(item);
    }
  }
  return { rows: { customers, products, orders, order_items: items }, defects };
}

/** Creates the schema and loads a generated state; returns it. */
export async function seedOltp(client: Client, options: OltpGeneratorOptions): Promise<GeneratedOltp> {
  const data = generateOltp(options);
  await createOltpSchema(client);
  for (const table of OLTP_TABLES) await insertRows(client, table, data.rows[table]);
  await client.query('ANALYZE');
  return data;
}
