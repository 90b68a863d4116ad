/** Stream events and OLTP rows apply the same identifier rules, from one definition. */
import * as z from 'zod/mini';
import { RowValidator } from '../../lambda/batch/row-schemas';
import { ID_FORMATS } from '../../lambda/contracts/domain';
import { ids } from '../../lambda/contracts/events-schemas';

const SAMPLES = {
  customer: ['C12345678', 'C1234567', 'c12345678', 'C123456789', 'X12345678'],
  product: ['P123456', 'P12345', 'P1234567', 'p123456'],
  order: ['O1234567890', 'O123456789', 'O12345678901', 'o1234567890'],
} as const;
const COLUMN = { customer: ['customers', 'customer_id'], product: ['products', 'product_id'], order: ['orders', 'order_id'] } as const;

/** Whether the OLTP row schema accepts `value` in the id column (other columns' issues aside). */
function rowAccepts(kind: keyof typeof SAMPLES, value: string): boolean {
  const [table, column] = COLUMN[kind];
  const verdict = new RowValidator(table, { currencies: ['EUR'] }).validate({ [column]: value });
  return verdict.ok || !verdict.issues.some((i) => i.path === column);
}

describe('identifier formats', () => {
  test.each(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])(
    '%s ids: the stream contract and the OLTP rows agree with the shared format',
    (kind) => {
      for (const value of SAMPLES[kind]) {
        const expected = ID_FORMATS[kind].pattern.test(value);
        expect({ value, stream: z.safeParse(ids[kind], value).success, oltp: rowAccepts(kind, value) }).toEqual({
          value,
          stream: expected,
          oltp: expected,
        });
      }
    },
  );

  test('each sample set holds a valid and an invalid id, so the agreement can fail', () => {
    for (const kind of Object.keys(SAMPLES) as (keyof typeof SAMPLES)[]) {
      const verdicts = new Set(SAMPLES[kind].map((v) => ID_FORMATS[kind].pattern.test(v)));
      expect(verdicts).toEqual(new Set([true, false]));
    }
  });
});
