import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as qualityHandler } from '../../lambda/batch/handlers/quality';
import { BATCH_METRICS_NAMESPACE, SERVICES, STREAM_METRICS_NAMESPACE } from '../../lambda/contracts/metrics';
import { instrument, powertools } from '../../lambda/shared/powertools';
import { stacksOf, synthApp } from '../helpers/synth';
import { eventOf, order, SETTINGS } from '../streaming/fixtures';
import { processorSettingsVariable } from '../../scripts/generator/stream-fixture';
import { extractEmf, underLambdaJsonLogs, type ExtractedMetric } from './lambda-json-logs';
import { emptyExtractQualityDeps } from '../helpers/quality-gate-fixture';

/**
 * Every function that publishes metrics, run as the Lambda runtime with the JSON log format runs it: each EMF record
 * must reach the log stream as its own top-level JSON object that CloudWatch extracts, and every alarm on the
 * platform's own namespaces must watch a metric (name, namespace, dimension names, service) that is emitted.
 */

const WINDOW = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
const EXECUTION = 'scheduled-20260601T1100';

function expectExtracted(
  metrics: readonly ExtractedMetric[],
  namespace: string,
  name: string,
  dimensions: Record<string, string>,
  value?: number,
) {
  const hit = metrics.find(
    (m) =>
      m.namespace === namespace &&
      m.name === name &&
      sameDimensions(m.dimensions, dimensions) &&
      (value === undefined || m.value === value),
  );
  if (!hit) {
    const seen = metrics.map((m) => `${m.namespace}/${m.name} ${JSON.stringify(m.dimensions)}=${JSON.stringify(m.value)}`).join('\n  ');
    throw new Error(
      `CloudWatch would not extract ${namespace}/${name} ${JSON.stringify(dimensions)}${value === undefined ? '' : `=${value}`}; extracted:\n  ${seen || '(nothing)'}`,
    );
  }
}

function sameDimensions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
};

/** The Lambda entry modules read their environment at load (each is loaded once here, under its environment). */
function loadEntry<T>(modulePath: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after its environment is set, not at import
  return require(modulePath) as T;
}

type Entry = { handler: (event: unknown, context?: unknown) => Promise<unknown> };
const emitted: ExtractedMetric[] = [];

describe('the emulated runtime and extractor catch the defect', () => {
  test('an EMF record written with console.log is wrapped into a message string and not extracted', async () => {
    const legacy = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          { Namespace: BATCH_METRICS_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: 'GoldBuildSucceeded', Unit: 'Count' }] },
        ],
      },
      GoldBuildSucceeded: 1,
    };
    const { lines } = await underLambdaJsonLogs(async () => console.log(JSON.stringify(legacy)));
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'INFO', message: JSON.stringify(legacy) });
    const { metrics, ignored } = extractEmf(lines);
    expect(metrics).toEqual([]);
    expect(ignored[0]).toMatch(/no top-level _aws/);
    expect(() => expectExtracted(metrics, BATCH_METRICS_NAMESPACE, 'GoldBuildSucceeded', {})).toThrow(/would not extract/);
  });

  test('the same record written to stdout is extracted', async () => {
    const record = {
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'NS', Dimensions: [['service']], Metrics: [{ Name: 'M', Unit: 'Count' }] }] },
      service: 's',
      M: 2,
    };
    const { lines } = await underLambdaJsonLogs(async () => void process.stdout.write(`${JSON.stringify(record)}\n`));
    expect(extractEmf(lines).metrics).toEqual([{ namespace: 'NS', name: 'M', unit: 'Count', value: 2, dimensions: { service: 's' } }]);
  });

  test('Powertools Metrics in dev mode (global console) loses its metrics too', async () => {
    const { lines } = await withEnv({ POWERTOOLS_DEV: 'true', POWERTOOLS_METRICS_DISABLED: 'false' }, () =>
      underLambdaJsonLogs(async () => {
        const m = new Metrics({ namespace: 'NS', serviceName: 's' });
        m.addMetric('M', 'Count', 1);
        m.publishStoredMetrics();
      }),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(extractEmf(lines).metrics).toEqual([]);
  });

  test('a record whose metric value is not a top-level number is not extracted', () => {
    const bad = {
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'NS', Dimensions: [['Table']], Metrics: [{ Name: 'M' }] }] },
      Table: 'orders',
      M: '3',
    };
    expect(extractEmf([JSON.stringify(bad)]).ignored[0]).toMatch(/metric M is not a top-level number/);
  });
});

describe('every function that publishes metrics, under the JSON log format', () => {
  test('stream processor entry: batch counts per stream, with the service dimension', async () => {
    const s3 = mockClient(S3Client);
    const sns = mockClient(SNSClient);
    s3.on(PutObjectCommand).resolves({});
    // The first invocation of a container sweeps the alert outbox (nothing pending here): AlertOutboxDepth 0.
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    try {
      const env = {
        PROCESSOR_SETTINGS: processorSettingsVariable(SETTINGS),
        AWS_REGION: 'eu-west-1',
      };
      const { lines } = await withEnv(env, () =>
        underLambdaJsonLogs(async () => {
          const entry = loadEntry<Entry>('../../lambda/stream-processor/index');
          await entry.handler(eventOf([order(), Buffer.from('{not json')]));
        }),
      );
      const { metrics, ignored } = extractEmf(lines);
      expect(ignored).toEqual([]);
      const dims = { service: SERVICES.streamProcessor, Stream: 'transactions' };
      expectExtracted(metrics, STREAM_METRICS_NAMESPACE, 'RecordsIn', dims, 2);
      expectExtracted(metrics, STREAM_METRICS_NAMESPACE, 'RecordsQuarantined', dims, 1);
      expectExtracted(metrics, STREAM_METRICS_NAMESPACE, 'AnomalyAlertFailures', dims, 0);
      expectExtracted(metrics, STREAM_METRICS_NAMESPACE, 'RollbackFailures', dims, 0);
      expectExtracted(metrics, STREAM_METRICS_NAMESPACE, 'AlertOutboxDepth', dims, 0);
      expectExtracted(metrics, STREAM_METRICS_NAMESPACE, 'RecordsQuarantinedByReason', { ...dims, Reason: 'invalid_json' }, 1);
      emitted.push(...metrics);
      for (const line of lines) expect(JSON.parse(line)).toEqual(expect.any(Object));
    } finally {
      s3.restore();
      sns.restore();
    }
  });

  test('batch control entry (publish): GoldBuildSucceeded, DataFreshnessMinutes, RowsLoaded per table', async () => {
    const env = { BATCH_CONFIG: JSON.stringify({ leaseTable: 'leases', leaseTtlSeconds: 600 }), AWS_REGION: 'eu-west-1' };
    const { lines } = await withEnv(env, () =>
      underLambdaJsonLogs(async () => {
        const entry = loadEntry<Entry>('../../lambda/batch/handlers/control');
        await entry.handler({ action: 'publish', window: WINDOW, loads: [{ table: 'fct_orders', rowsLoaded: 7 }], execution: EXECUTION });
      }),
    );
    const { metrics, ignored } = extractEmf(lines);
    expect(ignored).toEqual([]);
    const service = SERVICES.batchControl;
    expectExtracted(metrics, BATCH_METRICS_NAMESPACE, 'GoldBuildSucceeded', { service }, 1);
    expectExtracted(metrics, BATCH_METRICS_NAMESPACE, 'TotalRowsLoaded', { service }, 7);
    expectExtracted(metrics, BATCH_METRICS_NAMESPACE, 'DataFreshnessMinutes', { service });
    expectExtracted(metrics, BATCH_METRICS_NAMESPACE, 'RowsLoaded', { service, Table: 'fct_orders' }, 7);
    emitted.push(...metrics);
  });

  test('batch quality gate: QualityScore and row counts per dataset; log lines carry window, table and execution', async () => {
    const lakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emf-quality-'));
    try {
      const pt = powertools(SERVICES.batchQuality, BATCH_METRICS_NAMESPACE);
      const handle = instrument(pt, qualityHandler(await emptyExtractQualityDeps(lakeDir, WINDOW, pt)), (e) => ({
        ...(e as Record<string, string>),
        window: (e as { window: { start: string } }).window.start,
      }));
      const { lines } = await underLambdaJsonLogs(async () => {
        await handle({ table: 'customers', window: WINDOW, execution: EXECUTION });
        pt.logger.info('gate done');
      });
      const { metrics, ignored } = extractEmf(lines);
      expect(ignored).toEqual([]);
      const dims = { service: SERVICES.batchQuality, Dataset: 'customers' };
      expectExtracted(metrics, BATCH_METRICS_NAMESPACE, 'QualityScore', dims);
      expectExtracted(metrics, BATCH_METRICS_NAMESPACE, 'RowsExtracted', dims, 0);
      emitted.push(...metrics);
    } finally {
      fs.rmSync(lakeDir, { recursive: true, force: true });
    }
  });

  test('a failing batch invocation logs one top-level JSON error line with window, table and execution', async () => {
    const env = {
      BATCH_CONFIG: JSON.stringify({
        buckets: { raw: 'raw', staging: 'staging', quarantine: 'quarantine' },
        workgroupName: 'wg',
        database: 'dev',
        copyRoleArn: 'arn:aws:iam::1:role/r',
        pollIntervalMs: 100,
        maxPolls: 1,
      }),
      AWS_REGION: 'eu-west-1',
    };
    const { lines } = await withEnv(env, () =>
      underLambdaJsonLogs(async () => {
        const entry = loadEntry<Entry>('../../lambda/batch/handlers/load');
        await expect(entry.handler({ table: 'no_such_table', window: WINDOW, execution: EXECUTION })).rejects.toThrow(/invalid event/);
      }),
    );
    const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      service: SERVICES.batchLoad,
      message: 'invocation failed',
      execution: EXECUTION,
      window: WINDOW.start,
      table: 'no_such_table',
    });
  });
});

/** Alarm metrics on the platform's own namespaces, as (namespace, name, dimensions) from the synthesized templates. */
function alarmMetrics(): { alarm: string; namespace: string; name: string; dimensions: Record<string, string> }[] {
  const { stages } = synthApp({ context: { env: 'prod' } });
  const out: { alarm: string; namespace: string; name: string; dimensions: Record<string, string> }[] = [];
  for (const stack of stages.flatMap(stacksOf)) {
    for (const [id, alarm] of Object.entries(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))) {
      const p = alarm.Properties;
      const stats = p.MetricName
        ? [{ Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions }]
        : (p.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
      for (const m of stats) {
        if (!String(m.Namespace).startsWith('DataFlow/')) continue;
        out.push({
          alarm: id,
          namespace: m.Namespace,
          name: m.MetricName,
          dimensions: Object.fromEntries((m.Dimensions ?? []).map((d: any) => [d.Name, d.Value])),
        });
      }
    }
  }
  return out;
}

/** An alarm metric is fed when a record has the same namespace, name and dimension names (and the same service). */
function unfed(alarms: ReturnType<typeof alarmMetrics>, metrics: readonly ExtractedMetric[]) {
  return alarms.filter(
    (a) =>
      !metrics.some(
        (m) =>
          m.namespace === a.namespace &&
          m.name === a.name &&
          Object.keys(m.dimensions).sort().join() === Object.keys(a.dimensions).sort().join() &&
          m.dimensions.service === a.dimensions.service,
      ),
  );
}

describe('alarms watch metrics the functions emit', () => {
  test('every prod alarm on a DataFlow/* namespace is fed by an extracted EMF metric', () => {
    expect(emitted.length).toBeGreaterThan(0);
    const alarms = alarmMetrics();
    expect(alarms.map((a) => a.name)).toEqual(expect.arrayContaining(['GoldBuildSucceeded', 'AnomalyAlertFailures', 'RollbackFailures']));
    expect(unfed(alarms, emitted)).toEqual([]);
  });

  test('an alarm without the service dimension watches a metric nobody emits', () => {
    const dimensionless = [{ alarm: 'FreshnessSla', namespace: BATCH_METRICS_NAMESPACE, name: 'GoldBuildSucceeded', dimensions: {} }];
    expect(unfed(dimensionless, emitted)).toHaveLength(1);
  });
});
