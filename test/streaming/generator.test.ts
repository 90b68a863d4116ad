import { ANOMALY_TYPES } from '../../lambda/contracts/events-anomalies';
import { generateRecords } from '../../scripts/generator';
import { Random } from '../../scripts/generator/random';

describe('synthetic event generator', () => {
  test('is deterministic: same seed, same bytes; another seed, other bytes', () => {
    const a = generateRecords({ seed: 5, count: 2_000 });
    const b = generateRecords({ seed: 5, count: 2_000 });
    const c = generateRecords({ seed: 6, count: 2_000 });
    expect(a.map((r) => r.data.toString('base64'))).toEqual(b.map((r) => r.data.toString('base64')));
    expect(a.map((r) => r.data.toString('base64'))).not.toEqual(c.map((r) => r.data.toString('base64')));
  });

  test('injects defects and every anomaly type at about the configured rates, each labelled', () => {
    const records = generateRecords({ seed: 11, count: 50_000, defectRate: 0.05, anomalyRate: 0.004 });
    const defects = records.filter((r) => r.label.kind === 'defect').length / records.length;
    expect(defects).toBeGreaterThan(0.04);
    expect(defects).toBeLessThan(0.06);
    for (const type of ANOMALY_TYPES) {
      const n = records.filter((r) => r.label.kind === 'valid' && r.label.anomaly === type).length;
      expect({ type, enough: n >= 40 }).toEqual({ type, enough: true });
    }
    expect(records.every((r) => r.label.kind === 'defect' || typeof r.eventId === 'string')).toBe(true);
  });

  test('no defects or anomalies when the rates are zero', () => {
    const records = generateRecords({ seed: 3, count: 3_000, defectRate: 0, anomalyRate: 0 });
    expect(records.every((r) => r.label.kind === 'valid' && r.label.anomaly === undefined)).toBe(true);
  });

  test('arrivals are monotonic and events occur at most a few seconds before arrival', () => {
    const records = generateRecords({ seed: 4, count: 2_000, defectRate: 0, anomalyRate: 0, ratePerSecond: 100 });
    for (let i = 1; i < records.length; i++) expect(records[i].arrivalMs).toBeGreaterThanOrEqual(records[i - 1].arrivalMs);
    for (const r of records) {
      const lag = r.arrivalMs - Date.parse(JSON.parse(r.data.toString()).occurred_at);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(3_000);
    }
  });

  test('the PRNG yields valid v4 UUIDs and uniform-looking values', () => {
    const rng = new Random(1);
    for (let i = 0; i < 100; i++) expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += rng.next();
    expect(sum / 10_000).toBeGreaterThan(0.48);
    expect(sum / 10_000).toBeLessThan(0.52);
  });
});
