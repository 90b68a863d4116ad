/** Control Lambda: plan the window, take / release the concurrency leases, publish the run's metrics (EMF). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { BATCH_METRICS_NAMESPACE, SERVICES } from '../../contracts/metrics';
import { readBatchConfig } from '../../contracts/batch-config';
import { lambdaHandler, powertools } from '../../shared/powertools';
import { powertoolsBatchMetrics, type BatchMetricsSink } from '../batch-metrics';
import { invocationKeys, parseEvent } from '../invocation';
import { plan, publishMetrics } from '../control';
import { DynamoLeaseStore, type LeaseStore } from '../leases';
import { awaitPredecessor, DynamoLoadOrderStore, markLoaded, WINDOW_ID, type LoadOrderStore } from '../load-order';
import { windowSchema } from '../window';

export interface ControlDeps {
  readonly leases: LeaseStore;
  readonly leaseTtlSeconds: number;
  readonly metrics: BatchMetricsSink;
  readonly loadOrder: LoadOrderStore;
}

const eventSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('plan'),
    /** The execution input: the scheduler's `{scheduledTime}` or a backfill's `{window}`. */
    input: z.object({ scheduledTime: z.string().optional(), window: windowSchema.optional(), predecessor: windowSchema.optional() }),
  }),
  /** `after`: a window id whose warehouse load must have finished first (the plan's `predecessor`). */
  z.strictObject({
    action: z.literal('acquire'),
    name: z.string(),
    owner: z.string().min(1),
    after: z.string().regex(WINDOW_ID).nullable().optional(),
  }),
  /** `loaded`: the window id whose warehouse load succeeded, recorded before the leases go. */
  z.strictObject({
    action: z.literal('release'),
    names: z.array(z.string()).min(1),
    owner: z.string().min(1),
    loaded: z.string().regex(WINDOW_ID).optional(),
  }),
  z.strictObject({
    action: z.literal('publish'),
    window: windowSchema,
    loads: z.array(z.object({ table: z.string(), rowsLoaded: z.number().int().min(0) })),
  }),
]);

export function createHandler(deps: ControlDeps): (event: unknown) => Promise<unknown> {
  return async (event) => {
    const e = parseEvent(eventSchema, event);
    switch (e.action) {
      case 'plan':
        return plan(e.input);
      case 'acquire':
        if (e.after) await awaitPredecessor(deps.loadOrder, e.after);
        await deps.leases.acquire(e.name, e.owner, deps.leaseTtlSeconds);
        return { name: e.name, owner: e.owner };
      case 'release': {
        if (e.loaded) await markLoaded(deps.loadOrder, e.loaded, e.owner);
        const released: string[] = [];
        for (const name of e.names) if (await deps.leases.release(name, e.owner)) released.push(name);
        return { released };
      }
      case 'publish': {
        const records = publishMetrics(e);
        records.forEach((r) => deps.metrics(r));
        return { published: e.loads.length, freshnessMinutes: records[records.length - 1].values.DataFreshnessMinutes };
      }
    }
  };
}

const pt = powertools(SERVICES.batchControl, BATCH_METRICS_NAMESPACE);

function awsDeps(): ControlDeps {
  const config = readBatchConfig('control');
  const ddb = pt.tracer.captureAWSv3Client(new DynamoDBClient({}));
  return {
    leases: new DynamoLeaseStore(ddb, config.leaseTable),
    leaseTtlSeconds: config.leaseTtlSeconds,
    metrics: powertoolsBatchMetrics(pt.metrics),
    loadOrder: new DynamoLoadOrderStore(ddb, config.leaseTable),
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler, invocationKeys);
