import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { buildEventSchemas, type EventType } from '../../lambda/contracts/events';
import { validRecordAt, type ValidRecord } from '../../lambda/stream-processor/core';
import { decodeText } from '../../lambda/stream-processor/decode';
import { hasUniquePlainKeys, textIsExactly } from '../../lambda/stream-processor/raw-json';
import { ARRIVAL_MS, CONTRACTS, order, SETTINGS } from './fixtures';

/** Each fast path of the processor core agrees with the straightforward implementation it replaces. */

/** The straightforward decode: Buffer base64 → UTF-8, undefined when the bytes are not UTF-8. */
function plainDecode(base64: string): string | undefined {
  const bytes = Buffer.from(base64, 'base64');
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

describe('decodeText (atob fast path for ASCII)', () => {
  test('property: equals Buffer decoding for the base64 of any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, ascii) => {
        const data = Buffer.from(ascii ? bytes.map((b) => b & 0x7f) : bytes);
        expect(decodeText(data.toString('base64'))).toBe(plainDecode(data.toString('base64')));
      }),
      { numRuns: 2000 },
    );
  });

  test('property: equals Buffer decoding for any string, including malformed base64 (padding, whitespace, url-safe characters)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\t\r.*é';
    const noisy = fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          noisy,
          fc.string(),
          fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('base64').replace(/=+$/, '')),
        ),
        (s) => {
          expect(decodeText(s)).toBe(plainDecode(s));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('a genuine U+FFFD and other non-ASCII text takes the Buffer path and decodes correctly', () => {
    for (const text of ['{"a":"\uFFFD"}', '{"name":"Zoë","city":"Zürich"}', '{"e":"😀"}'])
      expect(decodeText(Buffer.from(text).toString('base64'))).toBe(text);
    expect(decodeText(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]).toString('base64'))).toBeUndefined();
  });
});

describe('textIsExactly (quote-count check before the exact scan)', () => {
  // JSON object texts with repeated keys, escaped keys, whitespace around colons and strings that look like keys.
  const key = fc.constantFrom('a', 'b', 'amount', '\\u0061', ':', ' :', 'x"', '');
  const scalar = fc.oneof(fc.integer().map(String), fc.constantFrom('null', 'true', '":"', '" : "', '"a\\":1"', '"\\\\"', '"x:y"', '" :"'));
  const ws = fc.constantFrom('', ' ', '\n', '\t ', '\r\n');
  const json: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('object'), tie('array')),
    object: fc
      .array(fc.tuple(key, ws, ws, tie('value')), { maxLength: 5 })
      .map((members) => `{${members.map(([k, w1, w2, v]) => `${w1}"${k.replace(/"/g, '\\"')}"${w2}:${w1}${v}`).join(',')}}`),
    array: fc.array(tie('value'), { maxLength: 3 }).map((vs) => `[${vs.join(',')}]`),
  })).object;

  test('property: agrees with hasUniquePlainKeys on any JSON object text', () => {
    fc.assert(
      fc.property(json, (text) => {
        const value = JSON.parse(text) as unknown;
        expect(textIsExactly(text, value)).toBe(hasUniquePlainKeys(text));
      }),
      { numRuns: 5000 },
    );
  });

  test('property: agrees with hasUniquePlainKeys on serialized JSON values, compact or pretty', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify({ wrapper: v }, null, pretty ? 2 : undefined);
        expect(textIsExactly(text, JSON.parse(text))).toBe(hasUniquePlainKeys(text));
      }),
    );
  });

  test.each([
    ['{"a" :1,"a" :2,"b":":"}', false],
    ['{"a":1,"b":{"a":2}}', true],
    ['{"a":":","a":1}', false],
    ['{"a":" :x"}', true],
    ['{"x":[{"k":1},{"k":2,"k":3}]}', false],
    ['{"__proto__":1,"a":"__proto__"}', true],
    ['{"__proto__":1,"__proto__":2}', false],
    ['{"a":"","a":""}', false],
    ['{"a":["x","y"],"b":{}}', true],
  ])('textIsExactly(%s) = %s', (text, expected) => {
    expect(textIsExactly(text, JSON.parse(text))).toBe(expected);
  });
});

describe('contracts: z.validate decides, safeParse only explains', () => {
  const schemas = buildEventSchemas(SETTINGS.currencies as [string, ...string[]]);
  const patch = fc.dictionary(
    fc.constantFrom(
      'amount',
      'items',
      'customer_id',
      'occurred_at',
      'event_type',
      'event_version',
      'currency',
      'status',
      'extra',
      'source',
    ),
    fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(45.48, 45.49, 0.001, '2026-11-02T07:59:58Z', 'C00000001', [
        { product_id: 'P000001', quantity: 1, unit_price: 45.48 },
      ]),
    ),
    { maxKeys: 3 },
  );

  test('property: validate agrees with safeParse on every schema, and CONTRACTS.validate accepts exactly what safeParse accepts', () => {
    const types = Object.keys(schemas) as EventType[];
    fc.assert(
      fc.property(fc.constantFrom(...types), patch, (type, p) => {
        const value = { ...order(), event_type: type, ...p };
        const schema = schemas[type];
        const parsed = schema.safeParse(value);
        expect(z.validate(schema, value)).toBe(parsed.success);
        if (type === 'order_placed') {
          const r = CONTRACTS.validate(value, 'transactions', ARRIVAL_MS);
          if (r.ok) expect(parsed.success).toBe(true);
          else if (parsed.success)
            expect(['wrong_stream', 'unsupported_event_version', 'unknown_event_type', 'future_timestamp']).toContain(r.reason);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('contracts: one lookup per event_type', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'ORDER_PLACED', 'order_placed ', ''])(
    'event_type %j is unknown',
    (type) => {
      const value = JSON.parse(
        JSON.stringify(order()).replace('"event_type":"order_placed"', `"event_type":${JSON.stringify(type)}`),
      ) as unknown;
      expect(CONTRACTS.validate(value, 'transactions', ARRIVAL_MS)).toMatchObject({ ok: false, reason: 'unknown_event_type' });
    },
  );
});

describe('validRecordAt', () => {
  test('property: finds exactly the valid record at an index', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 300 })), fc.nat({ max: 310 }), (indexes, probe) => {
        const valid = [...indexes].sort((a, b) => a - b).map((index) => ({ index }) as ValidRecord);
        expect(validRecordAt(valid, probe)).toBe(valid.find((v) => v.index === probe));
      }),
    );
  });
});
