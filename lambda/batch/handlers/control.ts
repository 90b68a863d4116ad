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
import { windowSchema } from '../window';

export interface ControlDeps {
  readonly leases: LeaseStore;
  readonly leaseTtlSeconds: number;
  readonly metrics: BatchMetricsSink;
}

const eventSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('plan'),
    /** The execution input: the scheduler's `{scheduledTime}` or a backfill's `{window}`. */
    input: z.object({ scheduledTime: z.string().optional(), window: windowSchema.optional() }),
  }),
  z.strictObject({ action: z.literal('acquire'), name: z.string(), owner: z.string().min(1) }),
  z.strictObject({ action: z.literal('release'), names: z.array(z.string()).min(1), owner: z.string().min(1) }),
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
        await deps.leases.acquire(e.name, e.owner, deps.leaseTtlSeconds);
        return { name: e.name, owner: e.owner };
      case 'release': {
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
  return {
    leases: new DynamoLeaseStore(pt.tracer.captureAWSv3Client(new DynamoDBClient({})), config.lockTable),
    leaseTtlSeconds: config.lockTtlSeconds,
    metrics: powertoolsBatchMetrics(pt.metrics),
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler, invocationKeys);
