/**
 * Records the AWS SDK calls each Lambda makes on its main paths (aws-sdk-client-mock) and compares them with
 * lib/readiness/recorded-calls.json, which the IAM check evaluates against the synthesized roles. A handler that
 * starts making a new call fails here until the file is re-recorded: `RECORD_CALLS=1 jest test/readiness/record-calls.test.ts`.
 * Add a new component's scenario below; the check binds its placeholders in lib/readiness/iam-lambdas.ts.
 */
import * as fs from 'node:fs';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
} from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand } from '@aws-sdk/client-redshift-serverless';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { Client } from 'pg';
import type { Context } from 'aws-lambda';
import { extractTable } from '../../lambda/batch/extract';
import { S3LakeStore } from '../../lambda/shared/s3-lake-store';
import { conformSummaryKey, copyManifestKey } from '../../lambda/batch/warehouse-load';
import { BENCH_SETTINGS, processorSettingsVariable } from '../../scripts/generator/stream-fixture';
import type { RecordedCall } from '../../lib/readiness/iam-actions';
import { RECORDED_CALLS_FILE } from '../../lib/readiness/iam';
import { PLACEHOLDERS as P } from '../../lib/readiness/iam-lambdas';
import { eventOf, order } from '../streaming/fixtures';
import { SdkRecorder } from './recorder';

const W = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
const BUCKETS = { raw: P.rawBucket, staging: P.stagingBucket, quarantine: P.quarantineBucket };
const recorded: Record<string, RecordedCall[]> = {};
/** Lineage to the lake and an endpoint with an API key (nothing listens there: its failures are counted, not recorded). */
const LINEAGE = {
  namespace: 'dataflow-test',
  datasets: { oltp: 'postgres://oltp-source:5432', warehouse: 'redshift://wg:5439' },
  endpoint: { url: 'https://127.0.0.1:1/api/v1/lineage', apiKeySecretId: P.lineageKey },
  timeoutMs: 500,
};

/** The lineage objects' keys carry the event time and the run id: the time is fixed while a scenario runs, run ids by `sameRunIds`. */
async function fixedRunIdentity(work: () => Promise<void>): Promise<void> {
  jest.useFakeTimers({
    now: new Date(W.end),
    doNotFake: [
      'nextTick',
      'setImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  try {
    await work();
  } finally {
    jest.useRealTimers();
  }
}

/** The calls with every run id in a lineage key replaced by one, each distinct call once (the recorder's order). */
function sameRunIds(calls: RecordedCall[]): RecordedCall[] {
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const texts = new Set(calls.map((c) => JSON.stringify(c).replace(uuid, '00000000-0000-4000-8000-000000000000')));
  return [...texts].sort((a, b) => a.localeCompare(b)).map((t) => JSON.parse(t) as RecordedCall);
}

/** Loads a handler module after its environment is set (entry points read it at load or first call). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const entry = <T>(path: string): T => require(path) as T;
let rec: SdkRecorder;

/** A pg client whose extract cursor yields `rows` once. */
function fakePg(rows: Record<string, unknown>[]): Client {
  let served = false;
  return {
    query: (q: unknown) =>
      typeof q === 'string'
        ? Promise.resolve({})
        : { read: async () => (served ? [] : ((served = true), rows)), close: async () => undefined },
  } as unknown as Client;
}
/** `n` valid orders and one with an unknown currency (quarantined). */
const orderRows = (n: number) => [
  ...Array.from({ length: n }, (_, i) => ({
    order_id: `O${String(i).padStart(10, '0')}`,
    customer_id: 'C00000001',
    order_ts: '2026-06-01T10:30:00.000Z',
    status: 'placed',
    currency: 'EUR',
    updated_at: '2026-06-01T10:30:00.000Z',
  })),
  {
    order_id: 'O9999999999',
    customer_id: 'C00000001',
    order_ts: '2026-06-01T10:30:00.000Z',
    status: 'placed',
    currency: 'XXX',
    updated_at: '2026-06-01T10:30:00.000Z',
  },
];

async function component(name: string, scenario: () => Promise<void>): Promise<void> {
  rec.resetCalls();
  await scenario();
  recorded[name] = sameRunIds(rec.calls());
  expect(recorded[name].length).toBeGreaterThan(0);
}

beforeAll(() => {
  rec = new SdkRecorder();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(() => {
  rec.restore();
  jest.restoreAllMocks();
});

describe('SDK calls of each Lambda, recorded', () => {
  test('batch control: plan, acquire (after a predecessor loaded), release (recording the load), publish', () =>
    component('batch-control', async () => {
      process.env.BATCH_CONFIG = JSON.stringify({ leaseTable: P.leaseTable, leaseTtlSeconds: 7500 });
      rec.dynamodb.on(PutItemCommand).resolves({}).on(DeleteItemCommand).resolves({});
      rec.dynamodb
        .on(GetItemCommand)
        .resolves({})
        .on(GetItemCommand, { Key: { lease_name: { S: 'loaded#20260601t0900' } } })
        .resolves({ Item: { expires_at: { N: '99999999999' } } });
      const { handler } = entry<typeof import('../../lambda/batch/handlers/control')>('../../lambda/batch/handlers/control');
      await handler({ action: 'plan', input: { window: W, predecessor: { start: '2026-06-01T09:00:00.000Z', end: W.start } } });
      await handler({ action: 'acquire', name: 'window#orders', owner: 'exec-1', after: '20260601t0900' });
      await handler({ action: 'release', names: ['window#orders'], owner: 'exec-1', loaded: '20260601t1000' });
      await handler({ action: 'publish', window: W, loads: [{ table: 'orders', rowsLoaded: 3 }] });
    }));

  test('batch release: an execution that timed out frees the leases it still owns', () =>
    component('batch-release', async () => {
      process.env.BATCH_CONFIG = JSON.stringify({ leaseTable: P.leaseTable });
      rec.dynamodb.on(DeleteItemCommand).resolves({});
      const { handler } = entry<typeof import('../../lambda/batch/handlers/release')>('../../lambda/batch/handlers/release');
      await handler({
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        detail: {
          executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:batch:exec-1',
          stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:batch',
          status: 'TIMED_OUT',
          input: JSON.stringify({ scheduledTime: '2026-06-01T11:05:00Z' }),
        },
      });
    }));

  test('batch extract: secret, then parts and manifest of a table (and a re-run replacing stale parts)', () =>
    component('batch-extract', () =>
      fixedRunIdentity(async () => {
        process.env.BATCH_CONFIG = JSON.stringify({
          buckets: BUCKETS,
          oltpSecretArn: P.oltpSecret,
          oltp: { connectTimeoutMs: 1000, statementTimeoutMs: 1000, queryTimeoutMs: 1000, ca: { source: 'rds' } },
          overlapMinutes: 10,
          lineage: LINEAGE,
        });
        rec.secrets
          .on(GetSecretValueCommand)
          .resolves({ SecretString: JSON.stringify({ host: '127.0.0.1', port: 9, dbname: 'shop', username: 'u', password: 'p' }) });
        const { handler } = entry<typeof import('../../lambda/batch/handlers/extract')>('../../lambda/batch/handlers/extract');
        // The handler's own path up to the database connection (nothing listens on port 9).
        await expect(handler({ table: 'orders', window: W })).rejects.toThrow();
        const store = new S3LakeStore(new S3Client({ region: 'eu-west-1' }), BUCKETS);
        await extractTable(fakePg(orderRows(5)), store, { table: 'orders', window: W, overlapMinutes: 10, partRows: 2 });
        await extractTable(fakePg(orderRows(1)), store, { table: 'orders', window: W, overlapMinutes: 10, partRows: 2 });
        const customer = {
          customer_id: 'C00000001',
          email: 'c1@example.com',
          first_name: 'A',
          last_name: 'B',
          registration_date: '2025-01-02',
          last_login_date: null,
          customer_segment: 'basic',
          updated_at: '2026-06-01T10:30:00.000Z',
        };
        await extractTable(fakePg([customer]), store, { table: 'customers', window: W, overlapMinutes: 10 });
      }),
    ));

  test('batch quality: raw to staging / quarantine + report, re-runs replacing stale parts', () =>
    component('batch-quality', () =>
      fixedRunIdentity(async () => {
        process.env.BATCH_CONFIG = JSON.stringify({
          buckets: BUCKETS,
          currencies: ['EUR'],
          thresholds: { completeness: 0, uniqueness: 0, validity: 0, referentialIntegrity: 0, minRowsPerWindow: 0, maxRowsPerWindow: 1000 },
          lineage: LINEAGE,
        });
        const { handler } = entry<typeof import('../../lambda/batch/handlers/quality')>('../../lambda/batch/handlers/quality');
        await handler({ table: 'orders', window: W });
        // Re-runs whose extract no longer has the quarantined row, then only that row: the stale quarantine part, then
        // the stale staging part, are deleted.
        const store = new S3LakeStore(new S3Client({ region: 'eu-west-1' }), BUCKETS);
        for (const rows of [orderRows(2).slice(0, 2), orderRows(0)]) {
          await rec.unrecordedDuring(() => extractTable(fakePg(rows), store, { table: 'orders', window: W, overlapMinutes: 10 }));
          await handler({ table: 'orders', window: W }).catch((e: Error) => expect(e.name).toBe('QualityGateFailed'));
        }
      }),
    ));

  test('batch load: a finished load and one that times out (cancelled)', () =>
    component('batch-load', () =>
      fixedRunIdentity(async () => {
        process.env.BATCH_CONFIG = JSON.stringify({
          buckets: BUCKETS,
          workgroupName: P.workgroup,
          database: 'dataflow',
          copyRoleArn: P.copyRole,
          pollIntervalMs: 100,
          maxPolls: 2,
          lineage: LINEAGE,
        });
        const manifest = `s3://${P.stagingBucket}/${copyManifestKey('orders', W)}`;
        rec.objects.set(
          `${P.stagingBucket}/${conformSummaryKey(W)}`,
          Buffer.from(
            JSON.stringify({ stage: 'conform', window: W, datasets: { orders: { rows: 3, files: 1, manifest } }, inputs: { orders: [] } }),
          ),
        );
        rec.objects.set(`${P.stagingBucket}/${copyManifestKey('orders', W)}`, Buffer.from(JSON.stringify({ entries: [] })));
        rec.redshiftData.on(BatchExecuteStatementCommand).resolves({ Id: 'stmt-1' });
        rec.redshiftData
          .on(DescribeStatementCommand)
          .resolvesOnce({
            Status: 'FINISHED',
            SubStatements: Array.from({ length: 40 }, (_, i) => ({ Id: `stmt-1:${i + 1}`, ResultRows: 3 })),
          })
          .resolves({ Status: 'STARTED' });
        const { handler } = entry<typeof import('../../lambda/batch/handlers/load')>('../../lambda/batch/handlers/load');
        await handler({ table: 'orders', window: W });
        await expect(handler({ table: 'orders', window: W })).rejects.toThrow(/did not finish|timed out|polls/);
      }),
    ));

  test('stream processor: a valid event, a bad record and an anomaly', () =>
    component('stream-processor', async () => {
      Object.assign(process.env, {
        PROCESSOR_SETTINGS: processorSettingsVariable(BENCH_SETTINGS, {
          buckets: { staging: P.stagingBucket, quarantine: P.quarantineBucket },
          alertTopicArn: P.alertTopic,
        }),
        POWERTOOLS_METRICS_DISABLED: 'true',
      });
      rec.sns.on(PublishCommand).resolves({ MessageId: '1' });
      const { handler } = entry<typeof import('../../lambda/stream-processor/index')>('../../lambda/stream-processor/index');
      const high = order({
        event_id: '0f1c6a0e-5a8b-4c1d-9e2f-0a1b2c3d4e5f',
        items: [{ product_id: 'P000009', quantity: 1, unit_price: 12_000 }],
        amount: 12_000,
      });
      const context = {
        functionName: 'processor',
        awsRequestId: 'req-1',
        invokedFunctionArn: 'arn',
        memoryLimitInMB: '512',
        functionVersion: '$LATEST',
      } as unknown as Context;
      await handler(eventOf([order(), Buffer.from('{"event_type":'), high]), context);
      // A failed write rolls back the batch's other objects from the failed record on (deletes them).
      const slowDown = Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
      for (const failing of ['anomalies/', 'stream/order_placed/']) {
        rec.failPut = (key) => (key.startsWith(failing) ? slowDown : undefined);
        await handler(eventOf([high, order(), Buffer.from('{"event_type":')], 10), context);
      }
      rec.failPut = () => undefined;
    }));

  test('warehouse setup: create', () =>
    component('warehouse-setup', async () => {
      rec.redshiftServerless.on(GetNamespaceCommand).resolves({ namespace: { adminPasswordSecretArn: P.adminSecret } });
      rec.redshiftData
        .on(BatchExecuteStatementCommand)
        .resolves({ Id: 'b-1' })
        .on(ExecuteStatementCommand)
        .resolves({ Id: 'q-1' })
        .on(DescribeStatementCommand)
        .resolves({ Status: 'FINISHED' })
        .on(GetStatementResultCommand)
        .resolves({ Records: [] });
      const { handler } = entry<typeof import('../../lambda/warehouse-setup/handler')>('../../lambda/warehouse-setup/handler');
      await handler({
        RequestType: 'Create',
        ResourceProperties: { ServiceToken: 'x', NamespaceName: P.namespace, WorkgroupName: P.workgroup, Database: 'dataflow' },
      } as never);
    }));

  test('match lib/readiness/recorded-calls.json', () => {
    if (process.env.RECORD_CALLS === '1') fs.writeFileSync(RECORDED_CALLS_FILE, `${JSON.stringify(recorded, null, 1)}\n`);
    expect(JSON.parse(fs.readFileSync(RECORDED_CALLS_FILE, 'utf8'))).toEqual(recorded);
  });
});
