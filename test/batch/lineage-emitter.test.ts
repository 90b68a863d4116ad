import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as qualityHandler } from '../../lambda/batch/handlers/quality';
import { awsLineageEmitter } from '../../lambda/batch/lineage-aws';
import { BATCH_METRICS, BATCH_METRICS_NAMESPACE, SERVICES } from '../../lambda/contracts/metrics';
import { httpTransport, lakeTransport, LineageEmitter, stableRunId, type LineageTransport } from '../../lambda/shared/lineage-emitter';
import type { RunEvent } from '../../lambda/shared/openlineage';
import { instrument, powertools } from '../../lambda/shared/powertools';
import { extractEmf, underLambdaJsonLogs } from '../observability/lambda-json-logs';
import { emptyExtractQualityDeps } from '../helpers/quality-gate-fixture';

/**
 * The constraints of the OpenLineage 2-0-2 RunEvent spec on the fields the batch emits (eventType, eventTime,
 * producer, schemaURL, run, job, datasets and the facets' _producer / _schemaURL).
 */
const facet = {
  type: 'object',
  required: ['_producer', '_schemaURL'],
  properties: { _producer: { type: 'string', format: 'uri' }, _schemaURL: { type: 'string', format: 'uri' } },
};
const dataset = {
  type: 'object',
  required: ['namespace', 'name'],
  properties: { namespace: { type: 'string' }, name: { type: 'string' }, facets: { type: 'object', additionalProperties: facet } },
};
const RUN_EVENT = {
  type: 'object',
  required: ['eventTime', 'producer', 'schemaURL', 'run', 'job'],
  properties: {
    eventType: { enum: ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] },
    eventTime: { type: 'string', format: 'date-time' },
    producer: { type: 'string', format: 'uri' },
    schemaURL: { type: 'string', format: 'uri' },
    run: {
      type: 'object',
      required: ['runId'],
      properties: { runId: { type: 'string', format: 'uuid' }, facets: { type: 'object', additionalProperties: facet } },
    },
    job: { type: 'object', required: ['namespace', 'name'], properties: { namespace: { type: 'string' }, name: { type: 'string' } } },
    inputs: { type: 'array', items: dataset },
    outputs: { type: 'array', items: dataset },
  },
};
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validRunEvent = ajv.compile(RUN_EVENT);
const expectSpecShape = (e: unknown) => expect(validRunEvent(e) ? [] : validRunEvent.errors).toEqual([]);

const DATASETS = {
  postgres: 'postgres://oltp',
  warehouse: 'redshift://wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com:5439',
  lake: (z: string) => `s3://lake-${z}`,
};
const NOW = new Date('2026-06-01T11:07:00.000Z');

/** A transport that keeps what it is sent. */
const kept = (name = 'lake'): LineageTransport & { events: RunEvent[] } => {
  const events: RunEvent[] = [];
  return { name, events, send: async (e) => void events.push(e) };
};

const emitter = (transports: LineageTransport[], failures: [string, string][] = [], timeoutMs = 200) =>
  new LineageEmitter({
    namespace: 'dataflow-prod',
    datasets: DATASETS,
    transports,
    timeoutMs,
    onFailure: (t, e) => failures.push([t, e.message]),
    now: () => NOW,
  });

describe('OpenLineage events of the batch jobs', () => {
  test.each([
    ['extract', 'orders', 'extract.oltp_orders', 'postgres://oltp', 's3://lake-raw'],
    ['quality gate', 'customers', 'quality_gate.oltp_customers', 's3://lake-raw', 's3://lake-staging'],
    ['load', 'products', 'load.bronze_products', 's3://lake-staging', DATASETS.warehouse],
  ] as const)(
    '%s of %s: START then COMPLETE of one run, in the spec shape, named like the local lineage',
    async (job, table, name, inputNs, outputNs) => {
      const lake = kept();
      await expect(emitter([lake]).batchRun(job, table, async () => 42)).resolves.toBe(42);
      const [start, complete] = lake.events;
      expect([start.eventType, complete.eventType]).toEqual(['START', 'COMPLETE']);
      expect(start.run.runId).toBe(complete.run.runId);
      expect(start).toMatchObject({
        eventTime: NOW.toISOString(),
        job: { namespace: 'dataflow-prod', name },
        inputs: [{ namespace: inputNs }],
        outputs: [{ namespace: outputNs }],
      });
      lake.events.forEach(expectSpecShape);
    },
  );

  test('the spec check catches a defective event', () => {
    const lake = kept();
    return emitter([lake])
      .batchRun('extract', 'orders', async () => undefined)
      .then(() => {
        const [e] = lake.events;
        for (const bad of [
          { ...e, eventTime: 'yesterday' },
          { ...e, run: { runId: 'run-1' } },
          { ...e, eventType: 'DONE' },
          { ...e, outputs: [{ name: 'x' }] },
        ]) {
          expect(validRunEvent(bad)).toBe(false);
        }
      });
  });

  test('a failing job: FAIL with the error message, the same error passed on', async () => {
    const lake = kept();
    const boom = new Error('COPY failed: S3ServiceException');
    await expect(emitter([lake]).batchRun('load', 'orders', () => Promise.reject(boom))).rejects.toBe(boom);
    expect(lake.events.map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(lake.events[1].run.facets).toMatchObject({
      errorMessage: { message: 'COPY failed: S3ServiceException', programmingLanguage: 'TypeScript' },
    });
    expectSpecShape(lake.events[1]);
  });

  test('conform, observed by the load: one COMPLETE whose run id is stable for the window, stream inputs included', async () => {
    const lake = kept();
    const e = emitter([lake]);
    await e.observed('conform', 'clickstream_events', '2026-06-01T10:00:00.000Z');
    await e.observed('conform', 'clickstream_events', '2026-06-01T10:00:00.000Z');
    const [first, again] = lake.events;
    expect(first).toMatchObject({
      eventType: 'COMPLETE',
      job: { name: 'conform.conformed_clickstream_events' },
      outputs: [{ namespace: 's3://lake-staging', name: 'conformed/clickstream_events/' }],
    });
    expect(first.inputs.map((i) => i.name)).toEqual(expect.arrayContaining(['stream/page_view/', 'stream/add_to_cart/']));
    expect(again.run.runId).toBe(first.run.runId);
    expect(stableRunId('conform', 'orders', 'w1')).not.toBe(first.run.runId);
    expectSpecShape(first);
  });

  test('the lake copy: one object per event under lineage/ in the event hour', () => {
    const keys: string[] = [];
    const t = lakeTransport(async (key) => void keys.push(key));
    const event = {
      eventType: 'START',
      eventTime: NOW.toISOString(),
      job: { name: 'extract.oltp_orders' },
      run: { runId: 'r1' },
    } as RunEvent;
    return t
      .send(event, AbortSignal.timeout(100))
      .then(() => expect(keys).toEqual(['lineage/openlineage/dt=2026-06-01/hr=11/extract.oltp_orders.r1.start.json']));
  });
});

describe('a lineage outage never holds data back', () => {
  test('endpoint down: the job result is unchanged, each undelivered event counted, the lake copy complete', async () => {
    const lake = kept();
    const failures: [string, string][] = [];
    const refused = httpTransport('https://127.0.0.1:1/api/v1/lineage', async () => undefined);
    await expect(emitter([lake, refused], failures, 2000).batchRun('extract', 'orders', async () => ({ rows: 7 }))).resolves.toEqual({
      rows: 7,
    });
    expect(lake.events).toHaveLength(2);
    expect(failures.map(([t]) => t)).toEqual(['endpoint', 'endpoint']);
  });

  test('an endpoint that never answers is abandoned after the timeout', async () => {
    const hung: LineageTransport = { name: 'endpoint', send: () => new Promise(() => undefined) };
    const failures: [string, string][] = [];
    const started = Date.now();
    await expect(emitter([hung], failures, 150).batchRun('quality gate', 'orders', async () => 'staged')).resolves.toBe('staged');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(failures).toEqual([
      ['endpoint', 'endpoint: no answer within 150 ms'],
      ['endpoint', 'endpoint: no answer within 150 ms'],
    ]);
  });

  test('HTTP errors and a failing key read are failures; a delivered event carries the bearer key', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const answer = (status: number) =>
      (async (url: string, init: RequestInit) => (seen.push({ url, init }), new Response('', { status }))) as unknown as typeof fetch;
    const failures: [string, string][] = [];
    const ok = httpTransport('https://marquez.internal/api/v1/lineage', async () => 'k-123', answer(201));
    const rejected = httpTransport('https://marquez.internal/api/v1/lineage', async () => 'k-123', answer(401));
    const noKey = httpTransport(
      'https://marquez.internal/api/v1/lineage',
      () => Promise.reject(new Error('AccessDeniedException')),
      answer(201),
    );
    await emitter([ok, rejected, noKey], failures).batchRun('extract', 'orders', async () => undefined);
    expect(seen[0].init.headers).toMatchObject({ authorization: 'Bearer k-123', 'content-type': 'application/json' });
    expect(await new Response(seen[0].init.body).json()).toMatchObject({ eventType: 'START', job: { name: 'extract.oltp_orders' } });
    expect(failures).toContainEqual(['endpoint', 'https://marquez.internal/api/v1/lineage answered HTTP 401']);
    expect(failures).toContainEqual(['endpoint', 'AccessDeniedException']);
  });

  test('a table the lineage graph does not know: counted, the job still runs', async () => {
    const failures: [string, string][] = [];
    await expect(emitter([kept()], failures).batchRun('load', 'no_such_table', async () => 'ran')).resolves.toBe('ran');
    expect(failures).toEqual([['events', 'the lineage graph has no load run writing no_such_table']]);
  });

  test('quality gate Lambda with the endpoint down: same result, LineageEmitFailures extracted from its logs', async () => {
    const lakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-quality-'));
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    try {
      const window = { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' };
      const pt = powertools(SERVICES.batchQuality, BATCH_METRICS_NAMESPACE);
      const deps = await emptyExtractQualityDeps(lakeDir, window, pt);
      const config = {
        namespace: 'dataflow-dev',
        datasets: { oltp: 'postgres://oltp', warehouse: 'redshift://wg' },
        endpoint: { url: 'https://127.0.0.1:1/api/v1/lineage' },
        timeoutMs: 2000,
      };
      const lineage = awsLineageEmitter(
        config,
        new S3Client({ region: 'eu-west-1' }),
        { raw: 'raw-b', staging: 'staging-b', quarantine: 'quarantine-b' },
        pt,
      );
      const { result: without } = await underLambdaJsonLogs(() => qualityHandler(deps)({ table: 'customers', window }));
      const { result, lines } = await underLambdaJsonLogs(() =>
        instrument(pt, qualityHandler({ ...deps, lineage }))({ table: 'customers', window }),
      );
      expect(result).toEqual(without);
      const failures = extractEmf(lines).metrics.filter((m) => m.name === 'LineageEmitFailures');
      expect(failures).toEqual([
        {
          namespace: BATCH_METRICS_NAMESPACE,
          name: 'LineageEmitFailures',
          unit: 'Count',
          value: 1,
          dimensions: { service: SERVICES.batchQuality, Transport: 'endpoint' },
        },
        {
          namespace: BATCH_METRICS_NAMESPACE,
          name: 'LineageEmitFailures',
          unit: 'Count',
          value: 1,
          dimensions: { service: SERVICES.batchQuality, Transport: 'endpoint' },
        },
      ]);
      const lakeKeys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
      expect(lakeKeys).toEqual([
        expect.stringMatching(/^lineage\/openlineage\/.*quality_gate\.oltp_customers\..*\.start\.json$/),
        expect.stringMatching(/\.complete\.json$/),
      ]);
    } finally {
      s3.restore();
      fs.rmSync(lakeDir, { recursive: true, force: true });
    }
  });
});

describe("the dbt task's undelivered-events line", () => {
  const script = fs.readFileSync(path.join(__dirname, '..', '..', 'dbt', 'scripts', 'batch_build.py'), 'utf8');

  test("carries the fields the metric filter reads, under the contract's service name", () => {
    // lib/constructs/lineage-transport.ts: { $.lineage = "not delivered" }, value $.events, dimensions $.service / $.transport.
    expect(script).toContain(`SERVICE = "${SERVICES.batchDbt}"`);
    expect(script).toMatch(/\{"lineage": "not delivered", "service": SERVICE, "transport": transport, "events": events/);
    expect(BATCH_METRICS.LineageEmitFailures).toBe('Count');
  });
});
