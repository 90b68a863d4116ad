import fc from 'fast-check';
import { decodeRecord } from '../../lambda/stream-processor/decode';
import { hasUniquePlainKeys, openObjectText } from '../../lambda/stream-processor/raw-json';
import { isoTime } from '../../lambda/stream-processor/route';
import { ARRIVAL_MS, eventOf, order } from './fixtures';
import { BUCKETS, mockedLake } from './lake-mock';

describe('reusing the received JSON text for staging lines', () => {
  test.each([
    ['{"a":1,"b":{"a":2},"c":[{"a":1},{"a":1}]}', true],
    ['{"a":1,"a":2}', false],
    ['{"x":{"k":1,"k":2}}', false],
    ['{"items":[{"p":1,"p":1}]}', false],
    ['{"\\u0061":1,"a":2}', false],
    ['{"s":"a\\"b","t":"{\\"a\\":1,\\"a\\":2}"}', true],
    [' { "a" : [ 1 , "," , {"b":":"} ] } ', true],
  ])('hasUniquePlainKeys(%s) = %s', (text, expected) => {
    expect(hasUniquePlainKeys(text)).toBe(expected);
  });

  test.each(['{"a":"unterminated', '{"a":"x\\"', '"', '{"'])(
    'hasUniquePlainKeys(%s) terminates and declines text that is not JSON',
    (text) => {
      expect(hasUniquePlainKeys(text)).toBe(false);
    },
  );

  test('property: for any JSON object text, unique plain keys imply the text means exactly JSON.parse(text)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const obj = { wrapper: value };
        const text = JSON.stringify(obj, null, pretty ? 2 : undefined);
        // JSON.stringify never repeats a key: only an escaped key can make the check decline.
        expect(hasUniquePlainKeys(text) || text.includes('\\')).toBe(true);
        if (hasUniquePlainKeys(text)) {
          expect(JSON.parse(`${openObjectText(text)}}`)).toEqual(JSON.parse(text));
          expect(openObjectText(text)).not.toMatch(/[\r\n]/);
        }
      }),
    );
  });

  test('a validated event with a duplicate key is re-serialized, so every reader sees the validated value', async () => {
    const lake = mockedLake();
    const good = order();
    const text = JSON.stringify(good).replace('"amount":45.48', '"amount":99999,"amount":45.48');
    expect(text).toContain('"amount":99999');
    await lake.handler(eventOf([Buffer.from(text)]));
    const [line] = lake.lines(BUCKETS.staging, 'stream/');
    expect(line).not.toContain('99999');
    expect(JSON.parse(line).amount).toBe(45.48);
    lake.restore();
  });

  test('pretty-printed events become one NDJSON line', async () => {
    const lake = mockedLake();
    await lake.handler(eventOf([Buffer.from(JSON.stringify(order(), null, 2))]));
    const body = [...lake.objects.values()][0];
    expect(body.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(body)).toMatchObject(order());
    lake.restore();
  });
});

describe('decode and time formatting fast paths', () => {
  test('isoTime equals Date#toISOString for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
    );
    expect(isoTime(1.5)).toBe(new Date(1.5).toISOString());
  });

  test('isoTime equals Date#toISOString for runs of close instants (its cached second)', () => {
    const around = (base: number) => fc.array(fc.integer({ min: base - 2_500, max: base + 2_500 }), { minLength: 2, maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(around(ARRIVAL_MS), around(0), around(-62_198_755_200_000)), (instants) => {
        expect(instants.map(isoTime)).toEqual(instants.map((ms) => new Date(ms).toISOString()));
      }),
    );
  });

  test('a genuine U+FFFD in valid UTF-8 is not an encoding error; invalid bytes are', () => {
    expect(decodeRecord(Buffer.from('{"a":"\uFFFD"}').toString('base64'))).toMatchObject({ ok: true, value: { a: '\uFFFD' } });
    expect(decodeRecord(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'))).toMatchObject({ ok: false, reason: 'invalid_encoding' });
  });
});
