/**
 * Release Lambda: target of the EventBridge rule on the batch state machine's FAILED / TIMED_OUT / ABORTED
 * executions; frees exactly the leases that execution still owns (see ../release.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SERVICES } from '../../contracts/metrics';
import { readBatchConfig } from '../../contracts/batch-config';
import { lambdaHandler, powertools } from '../../shared/powertools';
import { parseEvent } from '../invocation';
import { DynamoLeaseStore, type LeaseStore } from '../leases';
import { executionEndedSchema, releaseLeasesOf, type ReleaseOutcome } from '../release';

export interface ReleaseDeps {
  readonly leases: LeaseStore;
  readonly log: (record: Record<string, unknown>) => void;
}

export function createHandler(deps: ReleaseDeps): (event: unknown) => Promise<ReleaseOutcome> {
  return async (event) => {
    const outcome = await releaseLeasesOf(parseEvent(executionEndedSchema, event), deps.leases);
    deps.log({ message: 'leases released after execution ended', ...outcome });
    return outcome;
  };
}

const pt = powertools(SERVICES.batchRelease);

function awsDeps(): ReleaseDeps {
  const config = readBatchConfig('release');
  return {
    leases: new DynamoLeaseStore(pt.tracer.captureAWSv3Client(new DynamoDBClient({})), config.leaseTable),
    log: ({ message, ...rest }) => pt.logger.info(String(message), rest),
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler);
