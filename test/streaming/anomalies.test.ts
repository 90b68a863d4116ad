import { detectAnomalies, robustStats, type Observation } from '../../lambda/stream-processor/anomalies';
import { SETTINGS } from './fixtures';

const cfg = SETTINGS.anomaly;
const T = Date.UTC(2026, 10, 2, 8);
let next = 0;
const obs = (o: Partial<Observation>): Observation => ({
  index: next++,
  eventType: 'page_view',
  customerId: null,
  occurredMs: T,
  arrivalMs: T,
  ...o,
});
const orderObs = (amount: number, customerId = `C${String(next).padStart(8, '0')}`, o: Partial<Observation> = {}) =>
  obs({ eventType: 'order_placed', amount, customerId, ...o });
const types = (f: ReturnType<typeof detectAnomalies>) => f.map((x) => `${x.index}:${x.type}`);

beforeEach(() => {
  next = 0;
});

describe('anomaly rules', () => {
  test('high_amount: strictly above the hard threshold', () => {
    const f = detectAnomalies([orderObs(cfg.highAmount), orderObs(cfg.highAmount + 0.01)], cfg);
    expect(f).toEqual([{ index: 1, type: 'high_amount', score: cfg.highAmount + 0.01, threshold: cfg.highAmount }]);
  });

  test('amount_outlier: robust z-score of log amounts, only with enough orders, not for high amounts', () => {
    const normal = Array.from({ length: 40 }, (_, i) => orderObs(40 + (i % 10) * 3));
    const outlier = orderObs(6_000);
    const huge = orderObs(50_000);
    const f = detectAnomalies([...normal, outlier, huge], cfg);
    expect(types(f)).toEqual([`${outlier.index}:amount_outlier`, `${huge.index}:high_amount`]);
    expect(f[0].score).toBeGreaterThan(cfg.madZThreshold);
    expect(f[0].threshold).toBe(cfg.madZThreshold);
    // Below madMinSamples the rule does not apply.
    next = 0;
    const few = Array.from({ length: cfg.madMinSamples - 2 }, (_, i) => orderObs(40 + i));
    expect(detectAnomalies([...few, orderObs(6_000)], cfg)).toEqual([]);
  });

  test('amount_outlier: identical amounts (MAD = 0) never divide by zero', () => {
    const same = Array.from({ length: 50 }, () => orderObs(25));
    expect(detectAnomalies([...same, orderObs(30)], cfg)).toEqual([]);
  });

  test('velocity: every order of a customer with more than the allowed orders in the batch', () => {
    const burst = Array.from({ length: cfg.velocityMaxOrders + 1 }, () => orderObs(30, 'C00000042'));
    const atLimit = Array.from({ length: cfg.velocityMaxOrders }, () => orderObs(30, 'C00000043'));
    const f = detectAnomalies([...burst, ...atLimit], cfg);
    expect(f.map((x) => x.index)).toEqual(burst.map((b) => b.index));
    expect(f.every((x) => x.type === 'velocity' && x.score === cfg.velocityMaxOrders + 1)).toBe(true);
  });

  test('clock_skew and late_arrival: strictly beyond the configured seconds', () => {
    const s = cfg.maxClockSkewSeconds * 1000;
    const l = cfg.maxLatenessSeconds * 1000;
    const f = detectAnomalies(
      [obs({ occurredMs: T + s }), obs({ occurredMs: T + s + 1 }), obs({ occurredMs: T - l }), obs({ occurredMs: T - l - 1000 })],
      cfg,
    );
    expect(types(f)).toEqual(['1:clock_skew', '3:late_arrival']);
    expect(f[1].score).toBe(cfg.maxLatenessSeconds + 1);
  });

  test('robustStats: median and MAD', () => {
    expect(robustStats(Float64Array.from([1, 2, 3, 4, 100]))).toEqual({ median: 3, mad: 1 });
    expect(robustStats(Float64Array.from([1, 2, 3, 4]))).toEqual({ median: 2.5, mad: 1 });
  });
});
