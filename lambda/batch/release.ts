/**
 * Lease release after an execution ended without its own release step: the state machine's "Execution Status
 * Change" event (FAILED, TIMED_OUT, ABORTED) names the execution and carries its input, from which `plan()` derives
 * exactly the leases that execution could hold. Each is released only if that execution still owns it (the lease
 * store's conditional delete), so a lease that expired and was taken over by another execution is left alone, and
 * a repeated event (EventBridge delivers at least once) releases nothing twice.
 */
import { z } from 'zod';
import { RELEASE_ON_STATUS } from '../contracts/workflow';
import { plan } from './control';
import type { LeaseStore } from './leases';

export const executionEndedSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().startsWith('arn:'),
    stateMachineArn: z.string().startsWith('arn:'),
    status: z.enum(RELEASE_ON_STATUS),
    /** The execution input as a JSON string; null when it was too large to include in the event. */
    input: z.string().nullable(),
  }),
});
export type ExecutionEnded = z.infer<typeof executionEndedSchema>;

export interface ReleaseOutcome {
  readonly executionArn: string;
  readonly status: string;
  /** Leases this execution still held and now released. */
  readonly released: string[];
  /** Leases it no longer held (released by its own steps, never taken, or taken over after expiry). */
  readonly notHeld: string[];
  /** Why nothing was looked up (input the Plan step refused: the execution took no lease). */
  readonly skipped?: string;
}

/** The lease names an execution with this input takes; undefined if its Plan step would have refused the input. */
export function leasesOf(input: unknown): string[] | undefined {
  try {
    return Object.values(plan(input as Parameters<typeof plan>[0]).leases);
  } catch {
    return undefined;
  }
}

export async function releaseLeasesOf(event: ExecutionEnded, leases: LeaseStore): Promise<ReleaseOutcome> {
  const { executionArn, status, input } = event.detail;
  // Without the input the held leases cannot be named; failing sends the event to the dead-letter queue (alarm).
  if (input === null) throw new Error(`execution ${executionArn} ended ${status} but its input was not included in the event`);
  const names = leasesOf(JSON.parse(input));
  if (!names) return { executionArn, status, released: [], notHeld: [], skipped: 'input refused by plan(): no lease was taken' };
  const released: string[] = [];
  const notHeld: string[] = [];
  for (const name of names) ((await leases.release(name, executionArn)) ? released : notHeld).push(name);
  return { executionArn, status, released, notHeld };
}
