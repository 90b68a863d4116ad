/**
 * Release Lambda: target of the EventBridge rule on the batch state machine's FAILED / TIMED_OUT / ABORTED
 * executions; frees exactly the leases that execution still owns (see ../release.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseEvent, readConfig, releaseConfigSchema } from '../config';
import { DynamoLockStore, type LockStore } from '../lock';
import { executionEndedSchema, releaseLeasesOf, type ReleaseOutcome } from '../release';

export interface ReleaseDeps {
  readonly locks: LockStore;
  readonly log: (record: Record<string, unknown>) => void;
}

export function createHandler(deps: ReleaseDeps): (event: unknown) => Promise<ReleaseOutcome> {
  return async (event) => {
    const outcome = await releaseLeasesOf(parseEvent(executionEndedSchema, event), deps.locks);
    deps.log({ message: 'leases released after execution ended', ...outcome });
    return outcome;
  };
}

function awsDeps(): ReleaseDeps {
  const config = readConfig(releaseConfigSchema);
  return {
    locks: new DynamoLockStore(new DynamoDBClient({}), config.lockTable),
    log: (record) => console.log(JSON.stringify(record)),
  };
}

let live: ((event: unknown) => Promise<ReleaseOutcome>) | undefined;
export const handler = (event: unknown) => (live ??= createHandler(awsDeps()))(event);
