import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type TableSpec } from '../../lambda/contracts/table-specs';
import fc from 'fast-check';
import { loadBronze } from '../../scripts/local/warehouse/build';
import { canonicalCsv, parseCsv, readCsv, SourceDataError, validateCsv, validateSourceDir } from '../../scripts/local/warehouse/csv';
import { memoryDb, rows } from './duckdb-helpers';
import { generateFixture, toCsv, writeFixture } from '../../scripts/local/warehouse/fixture';

const OLTP = Object.values(TABLE_SPECS) as TableSpec[];
const STREAM = Object.values(STREAM_TABLE_SPECS) as TableSpec[];

describe('source CSV parsing and validation (make gold)', () => {
  test('RFC 4180 quoting: commas, doubled quotes, newlines, CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', ''],
    ]);
  });

  test('names file, row and column for each bad value', () => {
    const csv = [
      'order_id,customer_id,order_ts,status,currency,updated_at',
      'O1,C1,2026-06-30 10:00:00,paid,USD,2026-06-30 10:00:00',
      'O2,C1,2026-13-01 10:00:00,paid,USD,2026-06-30 10:00:00',
      'O3,,2026-06-30 10:00:00,paid,US,2026-06-30T10:00:00Z',
    ].join('\n');
    expect(validateCsv('/x/orders.csv', csv, TABLE_SPECS.orders)).toEqual([
      'orders.csv row 2, column order_ts: "2026-13-01 10:00:00" is not a valid UTC timestamp (YYYY-MM-DD HH:MM:SS, optional T and Z)',
      'orders.csv row 3, column customer_id: is required but empty',
      'orders.csv row 3, column currency: "US" must be exactly 3 characters',
    ]);
  });

  test('decimals, integers and dates are checked against the spec types', () => {
    const csv = [
      'order_id,line_no,product_id,quantity,unit_price,updated_at',
      'O1,1,P1,two,1.999,2026-06-30 10:00:00',
      'O1,x,P1,1,12345678901.00,2026-02-30 10:00:00',
    ].join('\n');
    expect(validateCsv('order_items.csv', csv, TABLE_SPECS.order_items)).toEqual([
      'order_items.csv row 1, column quantity: "two" is not a whole number',
      'order_items.csv row 1, column unit_price: "1.999" has more than 2 decimals',
      'order_items.csv row 2, column line_no: "x" is not a whole number',
      'order_items.csv row 2, column unit_price: "12345678901.00" does not fit DECIMAL(12,2)',
      'order_items.csv row 2, column updated_at: "2026-02-30 10:00:00" is not a valid UTC timestamp (YYYY-MM-DD HH:MM:SS, optional T and Z)',
    ]);
  });

  test('missing columns and files stop with a clear message; the stream file is optional', () => {
    expect(validateCsv('products.csv', 'product_id,name\nP1,x', TABLE_SPECS.products)).toEqual([
      'products.csv: header lacks column(s) category, price, cost, updated_at (header: product_id,name)',
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gold-src-'));
    try {
      writeFixture(dir, { customers: 20, products: 8 });
      fs.rmSync(path.join(dir, 'clickstream_events.csv'));
      expect([...validateSourceDir(dir, OLTP, STREAM).keys()]).toEqual(['customers', 'products', 'orders', 'order_items']);
      fs.rmSync(path.join(dir, 'orders.csv'));
      expect(() => validateSourceDir(dir, OLTP, STREAM)).toThrow(SourceDataError);
      expect(() => validateSourceDir(dir, OLTP, STREAM)).toThrow(/orders\.csv: missing from/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the fixture is deterministic and valid against the specs', () => {
    const a = generateFixture();
    const b = generateFixture();
    for (const spec of [...OLTP, ...STREAM]) {
      const csv = toCsv(spec, a.tables[spec.name]);
      expect(csv).toEqual(toCsv(spec, b.tables[spec.name]));
      expect(validateCsv(`${spec.name}.csv`, csv, spec)).toEqual([]);
    }
    expect(toCsv(TABLE_SPECS.orders, generateFixture({ seed: 1 }).tables.orders)).not.toEqual(toCsv(TABLE_SPECS.orders, a.tables.orders));
  });

  test('strict quoting: text after a closing quote, a stray quote and an open quote are errors naming row and column', () => {
    const csv = [
      'customer_id,first_name,last_name,updated_at',
      'C1,"Ann"e,Ng,2026-06-30 10:00:00',
      'C2,An"n,Ng,2026-06-30 10:00:00',
      'C3,Bo,"Ng,2026-06-30 10:00:00',
    ].join('\n');
    expect(readCsv(csv).issues.map((i) => [i.row, i.field])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    const problems = validateCsv('/x/customers.csv', csv, {
      ...TABLE_SPECS.customers,
      columns: TABLE_SPECS.customers.columns.filter((c) => ['customer_id', 'first_name', 'last_name', 'updated_at'].includes(c.name)),
    });
    expect(problems[0]).toBe(
      'customers.csv row 1, column first_name: text after the closing quote (a quote inside a quoted field must be doubled: "")',
    );
    expect(problems[1]).toMatch(/^customers\.csv row 2, column first_name: a quote inside an unquoted field/);
    expect(problems[2]).toMatch(/^customers\.csv row 3, column last_name: quoted field not closed/);
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/row 1, field 1: text after the closing quote/);
  });

  test('orphans: an order without its customer, a line without its order or product, each with file, row and column', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gold-orphans-'));
    try {
      writeFixture(dir, { customers: 20, products: 8 });
      const add = (file: string, line: string) => fs.appendFileSync(path.join(dir, file), `${line}\n`);
      add('orders.csv', 'O9999999999,C99999999,2026-06-30 10:00:00,paid,USD,2026-06-30 10:00:00');
      add('order_items.csv', 'O8888888888,1,P999999,1,1.00,2026-06-30 10:00:00');
      const orders = fs.readFileSync(path.join(dir, 'orders.csv'), 'utf8').trim().split('\n').length - 1;
      const items = fs.readFileSync(path.join(dir, 'order_items.csv'), 'utf8').trim().split('\n').length - 1;
      let problems: readonly string[] = [];
      try {
        validateSourceDir(dir, OLTP, STREAM);
      } catch (err) {
        problems = (err as SourceDataError).problems;
      }
      expect(problems).toEqual([
        `orders.csv row ${orders}, column customer_id: "C99999999" has no row in customers.csv (references customers.customer_id)`,
        `order_items.csv row ${items}, column order_id: "O8888888888" has no row in orders.csv (references orders.order_id)`,
        `order_items.csv row ${items}, column product_id: "P999999" has no row in products.csv (references products.product_id)`,
      ]);
      expect(validateSourceDir(dir, OLTP, STREAM, { checkReferences: false }).size).toBe(5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the loader reads exactly the parsed values (commas, quotes, CR/LF, spaces) from the canonical CSV', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r', 'é', "'", '\\'), minLength: 1, maxLength: 12 });
    const values = fc.sample(text, 60);
    const spec = TABLE_SPECS.products;
    const table = {
      spec,
      file: 'products.csv',
      rows: values.map((v, i) => [`P${String(i).padStart(6, '0')}`, v, 'cat', '1.00', '0.50', '2026-06-30 10:00:00']),
    };
    expect(spec.columns.map((c) => c.name)).toEqual(['product_id', 'name', 'category', 'price', 'cost', 'updated_at']);
    expect(readCsv(canonicalCsv(table))).toEqual({ rows: [spec.columns.map((c) => c.name), ...table.rows], issues: [] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gold-load-'));
    try {
      const db = path.join(dir, 'w.duckdb');
      await loadBronze(db, new Map([['products', table]]));
      const conn = await memoryDb();
      await conn.run(`ATTACH '${db}' AS w (READ_ONLY)`);
      const loaded = await rows(conn, 'SELECT product_id, name FROM w.bronze.products ORDER BY product_id');
      expect(loaded.map((r) => r.name)).toEqual(values);
      conn.closeSync();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
