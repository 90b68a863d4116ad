import type { AnomalyType } from '../contracts/events-anomalies';
import type { AnomalyConfig } from '../contracts/processor-settings';

/**
 * The anomaly rules (one place; thresholds from the environment config). Pure: a batch's valid events in, findings
 * out. Amount rules judge `order_placed` (payments and cancellations mirror an order).
 *
 * - high_amount: amount > highAmount.
 * - amount_outlier: robust z-score of ln(amount) against the batch, 0.6745·|x − median| / MAD > madZThreshold, when the
 *   batch holds at least madMinSamples orders; money is log-normal, so the log scale keeps ordinary large baskets in.
 *   Not reported for amounts already above the hard threshold (that finding says more).
 * - velocity: more than velocityMaxOrders orders from one customer within the batch; every such order is flagged.
 * - clock_skew: occurred_at ahead of arrival by more than maxClockSkewSeconds (events more than 5 minutes ahead are
 *   quarantined as future_timestamp instead).
 * - late_arrival: arrival more than maxLatenessSeconds after occurred_at.
 */

export interface Observation {
  /** Position of the record in the batch. */
  readonly index: number;
  readonly eventType: string;
  readonly customerId: string | null;
  /** `amount` of an `order_placed`. */
  readonly amount?: number;
  readonly occurredMs: number;
  readonly arrivalMs: number;
}

export interface Finding {
  readonly index: number;
  readonly type: AnomalyType;
  readonly score: number;
  readonly threshold: number;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

type Order = Observation & { readonly amount: number };

export function detectAnomalies(observations: readonly Observation[], cfg: AnomalyConfig): Finding[] {
  const findings: Finding[] = [];
  for (const o of observations) {
    const ahead = o.occurredMs - o.arrivalMs;
    if (ahead > cfg.maxClockSkewSeconds * 1000)
      findings.push({ index: o.index, type: 'clock_skew', score: round2(ahead / 1000), threshold: cfg.maxClockSkewSeconds });
    else if (-ahead > cfg.maxLatenessSeconds * 1000)
      findings.push({ index: o.index, type: 'late_arrival', score: round2(-ahead / 1000), threshold: cfg.maxLatenessSeconds });
  }

  const orders = observations.filter((o): o is Order => o.eventType === 'order_placed' && o.amount !== undefined);
  const logs = Float64Array.from(orders, (o) => Math.log(o.amount));
  const stats = orders.length >= cfg.madMinSamples ? robustStats(logs) : undefined;
  const ordersPerCustomer = new Map<string, number>();
  for (const o of orders) ordersPerCustomer.set(o.customerId ?? '', (ordersPerCustomer.get(o.customerId ?? '') ?? 0) + 1);
  orders.forEach((o, i) => {
    if (o.amount > cfg.highAmount) {
      findings.push({ index: o.index, type: 'high_amount', score: o.amount, threshold: cfg.highAmount });
    } else if (stats && stats.mad > 0) {
      const z = (0.6745 * Math.abs(logs[i] - stats.median)) / stats.mad;
      if (z > cfg.madZThreshold) findings.push({ index: o.index, type: 'amount_outlier', score: round2(z), threshold: cfg.madZThreshold });
    }
    const n = ordersPerCustomer.get(o.customerId ?? '') ?? 0;
    if (n > cfg.velocityMaxOrders) findings.push({ index: o.index, type: 'velocity', score: n, threshold: cfg.velocityMaxOrders });
  });
  return findings.sort((a, b) => a.index - b.index);
}

/** Median and median absolute deviation. */
export function robustStats(values: Float64Array): { median: number; mad: number } {
  const sorted = Float64Array.from(values).sort();
  const median = medianOfSorted(sorted);
  const dev = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(sorted[i] - median);
  return { median, mad: medianOfSorted(dev.sort()) };
}

function medianOfSorted(a: Float64Array): number {
  const mid = a.length >> 1;
  return a.length % 2 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}
