/**
 * The hourly batch workflow as both sides see it: the Step Functions definition (lib/constructs/batch-workflow.ts)
 * and the code that runs or reacts to it (the local runner, the lease-release function).
 */

/** The endings the state machine cannot clean up after itself (a Fail state also ends as FAILED). */
export const RELEASE_ON_STATUS = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
