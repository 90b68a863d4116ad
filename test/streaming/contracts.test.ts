import { createEventContracts, EVENT_TYPES, QUARANTINE_REASONS, STREAM_OF_EVENT } from '../../lambda/contracts/events';
import { generateRecords } from '../../scripts/generator';
import { decodeRecord } from '../../lambda/stream-processor/decode';
import { ARRIVAL_MS, CONTRACTS, order } from './fixtures';

const validate = (value: unknown, stream: 'transactions' | 'customers' | 'clickstream' = 'transactions') =>
  CONTRACTS.validate(value, stream, ARRIVAL_MS);

describe('event contracts', () => {
  test('a well-formed order is valid and returned unchanged', () => {
    const o = order();
    const r = validate(o);
    expect(r).toEqual({ ok: true, event: o, occurredMs: Date.parse(o.occurred_at) });
  });

  test.each([
    ['not_an_object', [1, 2], ''],
    ['not_an_object', null, ''],
    ['unknown_event_type', { ...order(), event_type: 'order_refunded' }, 'event_type'],
    ['unknown_event_type', { ...order(), event_type: undefined }, 'event_type'],
    ['unknown_event_type', { ...order(), event_type: 'toString' }, 'event_type'],
    ['unsupported_event_version', { ...order(), event_version: 2 }, 'event_version'],
    ['unsupported_event_version', { ...order(), event_version: '1' }, 'event_version'],
    ['missing_field', { ...order(), customer_id: undefined }, 'customer_id'],
    ['missing_field', { ...order(), payment_method: undefined }, 'payment_method'],
    ['unexpected_field', { ...order(), coupon: 'X' }, ''],
    ['invalid_field', { ...order(), customer_id: 'C12' }, 'customer_id'],
    ['invalid_field', { ...order(), currency: 'JPY' }, 'currency'],
    ['invalid_field', { ...order(), occurred_at: '2026-11-02T07:59:58+01:00' }, 'occurred_at'],
    ['invalid_field', order({ items: [{ product_id: 'P000001', quantity: 0, unit_price: 10 }], amount: 0.01 }), 'items.0.quantity'],
    ['amount_out_of_range', order({ amount: 150_000 }), 'amount'],
    ['amount_out_of_range', order({ amount: 0 }), 'amount'],
    ['invalid_money', order({ amount: 45.485 }), 'amount'],
    ['amount_mismatch', order({ amount: 45.5 }), 'amount'],
    ['timestamp_out_of_range', order({ occurred_at: '2019-12-31T23:59:59.999Z' }), 'occurred_at'],
    ['timestamp_out_of_range', order({ occurred_at: '2031-01-01T00:00:00Z' }), 'occurred_at'],
    ['future_timestamp', order({ occurred_at: new Date(ARRIVAL_MS + 5 * 60_000 + 1).toISOString() }), 'occurred_at'],
  ])('%s: %j', (reason, value, path) => {
    const r = validate(value);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.issues.length).toBeGreaterThan(0);
    expect(r.issues[0].path).toBe(path);
    expect(typeof r.issues[0].message).toBe('string');
  });

  test('occurred_at exactly 5 minutes after arrival is still accepted', () => {
    expect(validate(order({ occurred_at: new Date(ARRIVAL_MS + 5 * 60_000).toISOString() })).ok).toBe(true);
  });

  test('amount may differ from Σ items by at most one cent', () => {
    expect(validate(order({ amount: 45.49 })).ok).toBe(true);
    expect(validate(order({ amount: 45.47 })).ok).toBe(true);
    expect(validate(order({ amount: 45.46 })).ok).toBe(false);
  });

  test('an event on the wrong stream is quarantined as wrong_stream', () => {
    const r = validate(order(), 'clickstream');
    expect(r).toMatchObject({ ok: false, reason: 'wrong_stream' });
  });

  test('customer rules: e-mail format, segment set, last_login not before registration, non-empty updates', () => {
    const base = {
      event_id: '7f1c6a0e-5a8b-4c1d-9e2f-0a1b2c3d4e5f',
      event_version: 1,
      occurred_at: '2026-11-02T07:00:00Z',
      source: 'mobile',
    };
    const reg = {
      ...base,
      event_type: 'customer_registered',
      customer_id: 'C00000009',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Ng',
      segment: 'premium',
      registration_date: '2026-11-02',
    };
    expect(validate(reg, 'customers').ok).toBe(true);
    expect(validate({ ...reg, email: 'ada-at-example' }, 'customers')).toMatchObject({
      reason: 'invalid_field',
      issues: [{ path: 'email' }],
    });
    expect(validate({ ...reg, segment: 'gold' }, 'customers')).toMatchObject({ reason: 'invalid_field', issues: [{ path: 'segment' }] });
    const login = {
      ...base,
      event_type: 'customer_login',
      customer_id: 'C00000009',
      registration_date: '2026-11-02',
      last_login: '2026-11-02T07:00:00Z',
    };
    expect(validate(login, 'customers').ok).toBe(true);
    expect(validate({ ...login, registration_date: '2026-11-03' }, 'customers')).toMatchObject({
      reason: 'login_before_registration',
      issues: [{ path: 'last_login' }],
    });
    const update = { ...base, event_type: 'customer_updated', customer_id: 'C00000009' };
    expect(validate(update, 'customers')).toMatchObject({ reason: 'empty_update' });
    expect(validate({ ...update, segment: 'basic' }, 'customers').ok).toBe(true);
  });

  test('clickstream: anonymous sessions are valid; a bad URL is not', () => {
    const view = {
      event_id: '7f1c6a0e-5a8b-4c1d-9e2f-0a1b2c3d4e5f',
      event_type: 'page_view',
      event_version: 1,
      occurred_at: '2026-11-02T07:00:00Z',
      source: 'web',
      session_id: 'Sabcdefghijk1',
      customer_id: null,
      url: 'https://shop.example/',
    };
    expect(validate(view, 'clickstream').ok).toBe(true);
    expect(validate({ ...view, url: 'javascript:alert(1)' }, 'clickstream')).toMatchObject({
      reason: 'invalid_field',
      issues: [{ path: 'url' }],
    });
  });

  test('every event type belongs to exactly one stream and every reason code is unique', () => {
    expect(EVENT_TYPES).toHaveLength(10);
    expect(new Set(Object.values(STREAM_OF_EVENT))).toEqual(new Set(['transactions', 'customers', 'clickstream']));
    expect(new Set(QUARANTINE_REASONS).size).toBe(QUARANTINE_REASONS.length);
  });

  test('the configured currency set is enforced', () => {
    const usdOnly = createEventContracts({ currencies: ['USD'] });
    expect(usdOnly.validate(order({ currency: 'EUR' }), 'transactions', ARRIVAL_MS)).toMatchObject({ ok: false, reason: 'invalid_field' });
    expect(usdOnly.validate(order({ currency: 'USD' }), 'transactions', ARRIVAL_MS).ok).toBe(true);
    expect(() => createEventContracts({ currencies: [] })).toThrow(/currencies/);
  });

  test("the generator's labels agree with the contracts on every record (valid, or the exact defect reason)", () => {
    const records = generateRecords({ seed: 99, count: 20_000 });
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const r of records) {
      const decoded = decodeRecord(r.data.toString('base64'));
      const got = decoded.ok ? CONTRACTS.validate(decoded.value, r.stream, r.arrivalMs) : decoded;
      const expected = r.label.kind === 'valid' ? 'valid' : r.label.reason;
      const actual = got.ok ? 'valid' : got.reason;
      seen.add(actual);
      if (expected !== actual) mismatches.push(`${expected} → ${actual}: ${r.data.toString('utf8').slice(0, 120)}`);
    }
    expect(mismatches).toEqual([]);
    // Every reason the generator can inject actually occurred.
    expect([...seen].sort()).toEqual([...QUARANTINE_REASONS, 'valid'].sort());
  });
});
