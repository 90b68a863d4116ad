/**
 * The hourly batch workflow as every side sees it: the Step Functions definition (lib/constructs/batch-workflow.ts)
 * names its states with these ids, the local runner (scripts/local/batch/run.ts) binds its handlers to them, the
 * runbooks and docs cite them, and the lease-release function reacts to the endings below. Renaming a state here
 * renames it everywhere.
 */

/** The state machine's states, by role. */
export const BATCH_STATES = {
  plan: 'Plan window',
  acquireWindow: 'Acquire window lease',
  extract: 'Extract tables',
  quality: 'Quality gate',
  conform: 'Glue conform',
  branches: 'Features and warehouse',
  acquireFeatures: 'Acquire features lease',
  features: 'Glue customer features',
  releaseFeatures: 'Release features lease',
  featuresBuilt: 'Customer features built',
  acquireWarehouse: 'Acquire warehouse lease',
  load: 'Load tables',
  dbt: 'dbt build',
  dbtExitCode: 'dbt exit code?',
  dbtFailed: 'dbt build exited non-zero',
  warehouseBuilt: 'Warehouse built',
  warehouseOk: 'Warehouse ok?',
  warehouseBranchFailed: 'Warehouse branch failed',
  release: 'Release leases',
  publish: 'Publish metrics',
  featuresOk: 'Customer features ok?',
  featuresBranchFailed: 'Customer features branch failed',
  goldBuilt: 'Gold built',
  releaseAfterFailure: 'Release leases after failure',
  notify: 'Notify on-call',
  failed: 'Batch failed',
} as const;
export type BatchStateId = (typeof BATCH_STATES)[keyof typeof BATCH_STATES];

/** The step a failed dbt exit code is reported as (the on-call message's "Failed state"). */
export const DBT_EXIT_CODE_STEP = 'dbt build exit code';

/** The per-table task inside a Map state. */
export function mapItemState(map: BatchStateId): string {
  return `${map}: table`;
}

/** The Pass state recording a failure of `step` before the failure path. */
export function failureState(step: string): string {
  return `${step} failed`;
}

/** The error a lease step throws while another execution holds the lease; the workflow retries it. */
export const LEASE_HELD_ERROR = 'LeaseHeld';

/** A backfill window's predecessor still runs: the warehouse lease step is retried until its bound. */
export const PREDECESSOR_LOADING = 'PredecessorLoading';

/** The execution's timeout. */
export const BATCH_TIMEOUT_SECONDS = 2 * 60 * 60;

/** A lease outlives the longest execution by five minutes, so it never expires under a running execution. */
export const LEASE_TTL_SECONDS = BATCH_TIMEOUT_SECONDS + 5 * 60;

/** The endings the state machine cannot clean up after itself (a Fail state also ends as FAILED). */
export const RELEASE_ON_STATUS = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
