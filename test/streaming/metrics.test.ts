import { Metrics } from '@aws-lambda-powertools/metrics';
import { STREAM_METRICS } from '../../lambda/contracts/metrics';
import { PowertoolsMetricsSink } from '../../lambda/stream-processor/powertools-metrics';
import type { BatchReport } from '../../lambda/stream-processor/ports';

const report: BatchReport = {
  stream: 'transactions',
  recordsIn: 100,
  valid: 95,
  quarantined: 5,
  quarantinedByReason: { invalid_json: 3, amount_mismatch: 2 },
  anomaliesByType: { high_amount: 1, velocity: 6 },
  highValue: 4,
  retried: 0,
  processingMs: 12,
  maxRecordAgeMs: 1500,
  alertFailures: 0,
  compensationFailures: 0,
  alertsDeferred: 3,
  alertOutboxDepth: 1,
};

type Emf = {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
} & Record<string, unknown>;

describe('EMF metrics per stream (Powertools)', () => {
  test('one document with the batch counts plus one per quarantine reason and per anomaly type', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      new PowertoolsMetricsSink(new Metrics({ namespace: 'DataFlow/Streaming', serviceName: 'stream-processor' })).record(report);
    } finally {
      spy.mockRestore();
    }
    const docs = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Emf);
    expect(docs).toHaveLength(1 + 2 + 2);
    const [main, ...singles] = docs;
    const meta = main._aws.CloudWatchMetrics[0];
    expect(meta.Namespace).toBe('DataFlow/Streaming');
    expect(meta.Dimensions[0]).toEqual(expect.arrayContaining(['service', 'Stream']));
    expect(main).toMatchObject({
      service: 'stream-processor',
      Stream: 'transactions',
      RecordsIn: 100,
      RecordsValid: 95,
      RecordsQuarantined: 5,
      AnomaliesDetected: 7,
      HighValueTransactions: 4,
      BatchProcessingTime: 12,
    });
    expect(meta.Metrics.find((m) => m.Name === STREAM_METRICS.processingTime)?.Unit).toBe('Milliseconds');
    // The outbox metrics the AlertOutboxDepth alarm and its runbook rely on.
    expect(main).toMatchObject({ AlertsDeferred: 3, AlertOutboxDepth: 1 });
    const byReason = singles.filter((d) => 'Reason' in d).map((d) => [d.Reason, d[STREAM_METRICS.quarantinedByReason]]);
    expect(byReason.sort()).toEqual([
      ['amount_mismatch', 2],
      ['invalid_json', 3],
    ]);
    const byType = singles.filter((d) => 'AnomalyType' in d).map((d) => [d.AnomalyType, d[STREAM_METRICS.anomaliesByType]]);
    expect(byType.sort()).toEqual([
      ['high_amount', 1],
      ['velocity', 6],
    ]);
  });
});

describe('AlertOutboxDepth is emitted only by invocations that swept the outbox', () => {
  test('no sweep, no data point (a zero would hide a stuck outbox from the Minimum-based alarm)', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      new PowertoolsMetricsSink(new Metrics({ namespace: 'DataFlow/Streaming', serviceName: 'stream-processor' })).record({
        ...report,
        alertOutboxDepth: undefined,
      });
    } finally {
      spy.mockRestore();
    }
    const main = JSON.parse(lines.flatMap((l) => l.split('\n')).find((l) => l.startsWith('{')) as string);
    expect(main).not.toHaveProperty('AlertOutboxDepth');
    expect(main).toHaveProperty('AlertsDeferred', 3);
  });
});
