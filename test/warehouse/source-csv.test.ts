import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type TableSpec } from '../../lambda/contracts/table-specs';
import { parseCsv, SourceDataError, validateCsv, validateSourceDir } from '../../scripts/local/warehouse-csv';
import { generateFixture, toCsv, writeFixture } from '../../scripts/local/warehouse-fixture';

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
    const csv = ['order_id,line_no,product_id,quantity,unit_price,updated_at', 'O1,1,P1,two,1.999,2026-06-30 10:00:00', 'O1,x,P1,1,12345678901.00,2026-02-30 10:00:00'].join('\n');
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
});
