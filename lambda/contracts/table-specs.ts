/**
 * The OLTP tables the hourly batch extracts, described once. This module is the single source for the extract
 * SQL, the quality gate's row schemas, the Glue conform casts, the bronze DDL, the COPY column order and the dbt
 * sources; nothing else may list these columns by hand.
 *
 * Identifiers are strings (`C00012345`, `P000123`, `O0000012345`). Money is exact DECIMAL; timestamps are UTC.
 */

export type ColumnType =
  | { readonly kind: 'varchar'; readonly length: number }
  | { readonly kind: 'char'; readonly length: number }
  | { readonly kind: 'integer' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'boolean' };

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly description: string;
  /**
   * Set when the column is not stored on the table itself but joined in by the extract
   * (e.g. an order item's version is its parent order's `updated_at`).
   */
  readonly derivedFrom?: { readonly table: string; readonly column: string; readonly joinOn: readonly string[] };
}

export interface TableSpec {
  readonly name: string;
  readonly description: string;
  /** Business key; bronze keeps one row (the latest version) per key. */
  readonly primaryKey: readonly string[];
  /** Version column: a row with a greater value supersedes one with a smaller value for the same key. */
  readonly versionColumn: string;
  /** Foreign keys checked by the quality gate's referential-integrity expectation. */
  readonly references: readonly { readonly columns: readonly string[]; readonly table: string; readonly refColumns: readonly string[] }[];
  readonly columns: readonly ColumnSpec[];
}

const id = (description: string, nullable = false): Omit<ColumnSpec, 'name'> => ({
  type: { kind: 'varchar', length: 32 },
  nullable,
  description,
});
const money = (description: string): Omit<ColumnSpec, 'name'> => ({
  type: { kind: 'decimal', precision: 12, scale: 2 },
  nullable: false,
  description,
});
const updatedAt: Omit<ColumnSpec, 'name'> = {
  type: { kind: 'timestamp' },
  nullable: false,
  description: 'Last change of the row in the OLTP database (UTC); the incremental-extract and version column.',
};
const col = (name: string, spec: Omit<ColumnSpec, 'name'>): ColumnSpec => ({ name, ...spec });

export const TABLE_SPECS = {
  customers: {
    name: 'customers',
    description: 'Registered customers, one row per customer in the OLTP database.',
    primaryKey: ['customer_id'],
    versionColumn: 'updated_at',
    references: [],
    columns: [
      col('customer_id', id('Customer identifier.')),
      col('email', { type: { kind: 'varchar', length: 320 }, nullable: true, description: 'E-mail address as entered (not cleaned).' }),
      col('first_name', { type: { kind: 'varchar', length: 100 }, nullable: true, description: 'Given name.' }),
      col('last_name', { type: { kind: 'varchar', length: 100 }, nullable: true, description: 'Family name.' }),
      col('registration_date', { type: { kind: 'date' }, nullable: false, description: 'Day the customer registered.' }),
      col('last_login_date', { type: { kind: 'date' }, nullable: true, description: 'Day of the latest login, if any.' }),
      col('customer_segment', {
        type: { kind: 'varchar', length: 32 },
        nullable: true,
        description: 'Marketing segment as stored: premium, standard, basic (may be empty in the source).',
      }),
      col('updated_at', updatedAt),
    ],
  },
  products: {
    name: 'products',
    description: 'Product catalogue.',
    primaryKey: ['product_id'],
    versionColumn: 'updated_at',
    references: [],
    columns: [
      col('product_id', id('Product identifier.')),
      col('name', { type: { kind: 'varchar', length: 256 }, nullable: false, description: 'Product name.' }),
      col('category', { type: { kind: 'varchar', length: 64 }, nullable: false, description: 'Product category.' }),
      col('price', money('List price.')),
      col('cost', money('Unit cost to the company.')),
      col('updated_at', updatedAt),
    ],
  },
  orders: {
    name: 'orders',
    description: 'Order headers.',
    primaryKey: ['order_id'],
    versionColumn: 'updated_at',
    references: [{ columns: ['customer_id'], table: 'customers', refColumns: ['customer_id'] }],
    columns: [
      col('order_id', id('Order identifier.')),
      col('customer_id', id('Customer who placed the order.')),
      col('order_ts', { type: { kind: 'timestamp' }, nullable: false, description: 'When the order was placed (UTC).' }),
      col('status', {
        type: { kind: 'varchar', length: 32 },
        nullable: false,
        description: 'placed, paid, shipped, delivered, returned or cancelled.',
      }),
      col('currency', { type: { kind: 'char', length: 3 }, nullable: false, description: 'ISO-4217 currency code.' }),
      col('updated_at', updatedAt),
    ],
  },
  order_items: {
    name: 'order_items',
    description: 'Order lines; versioned by their parent order.',
    primaryKey: ['order_id', 'line_no'],
    versionColumn: 'updated_at',
    references: [
      { columns: ['order_id'], table: 'orders', refColumns: ['order_id'] },
      { columns: ['product_id'], table: 'products', refColumns: ['product_id'] },
    ],
    columns: [
      col('order_id', id('Order the line belongs to.')),
      col('line_no', { type: { kind: 'integer' }, nullable: false, description: 'Line number within the order, from 1.' }),
      col('product_id', id('Product ordered.')),
      col('quantity', { type: { kind: 'integer' }, nullable: false, description: 'Units ordered (≥ 1).' }),
      col('unit_price', money('Price per unit charged on this line.')),
      col('updated_at', {
        ...updatedAt,
        description: "The parent order's updated_at: order lines change only with their order.",
        derivedFrom: { table: 'orders', column: 'updated_at', joinOn: ['order_id'] },
      }),
    ],
  },
} as const satisfies Record<string, TableSpec>;

export type OltpTableName = keyof typeof TABLE_SPECS;
export const OLTP_TABLES = Object.keys(TABLE_SPECS) as OltpTableName[];

/**
 * Stream events the warehouse loads into bronze (the event contracts, docs/streaming.md): the clickstream, flattened to
 * one row per validated event by Glue conform. Same shape as the OLTP specs so the bronze DDL, COPY column order
 * and dbt sources come from one place. Not extracted from Postgres, so kept out of `TABLE_SPECS`/`OLTP_TABLES`.
 * The version column is the processor's arrival time: a redelivered event (same `event_id`) keeps one row.
 */
export const STREAM_TABLE_SPECS = {
  clickstream_events: {
    name: 'clickstream_events',
    description: 'Validated clickstream events (page_view, product_view, add_to_cart, checkout_started), one row per event_id.',
    primaryKey: ['event_id'],
    versionColumn: 'arrival_time',
    references: [],
    columns: [
      col('event_id', { type: { kind: 'varchar', length: 36 }, nullable: false, description: 'Event UUID (envelope).' }),
      col('event_type', {
        type: { kind: 'varchar', length: 32 },
        nullable: false,
        description: 'page_view, product_view, add_to_cart or checkout_started.',
      }),
      col('event_version', { type: { kind: 'integer' }, nullable: false, description: 'Contract version of the event.' }),
      col('occurred_at', { type: { kind: 'timestamp' }, nullable: false, description: 'When the event happened (UTC).' }),
      col('source', { type: { kind: 'varchar', length: 16 }, nullable: false, description: 'web, mobile, pos or backend.' }),
      col('session_id', { type: { kind: 'varchar', length: 32 }, nullable: false, description: 'Browsing session identifier.' }),
      col('customer_id', id('Customer, when signed in; NULL for anonymous sessions.', true)),
      col('url', { type: { kind: 'varchar', length: 2048 }, nullable: false, description: 'Page URL.' }),
      col('referrer', { type: { kind: 'varchar', length: 2048 }, nullable: true, description: 'Referring URL, if any.' }),
      col('user_agent', { type: { kind: 'varchar', length: 512 }, nullable: true, description: 'Browser user agent, if sent.' }),
      col('product_id', id('Product viewed or added (product_view, add_to_cart).', true)),
      col('quantity', { type: { kind: 'integer' }, nullable: true, description: 'Units added (add_to_cart).' }),
      col('cart_value', {
        type: { kind: 'decimal', precision: 12, scale: 2 },
        nullable: true,
        description: 'Cart value at checkout start (checkout_started).',
      }),
      col('item_count', { type: { kind: 'integer' }, nullable: true, description: 'Items in the cart (checkout_started).' }),
      col('arrival_time', {
        type: { kind: 'timestamp' },
        nullable: false,
        description: 'When the stream processor received the event (its `_arrival_time`); the version column.',
      }),
    ],
  },
} as const satisfies Record<string, TableSpec>;

export type StreamTableName = keyof typeof STREAM_TABLE_SPECS;

/** Every table the warehouse keeps in bronze: the OLTP tables, then the stream tables. */
export const WAREHOUSE_TABLE_SPECS = { ...TABLE_SPECS, ...STREAM_TABLE_SPECS } as const;
export type WarehouseTableName = keyof typeof WAREHOUSE_TABLE_SPECS;
export const WAREHOUSE_TABLES = Object.keys(WAREHOUSE_TABLE_SPECS) as WarehouseTableName[];
